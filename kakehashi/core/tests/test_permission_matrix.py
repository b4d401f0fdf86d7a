"""Every named URL of the site has a permission-matrix case somewhere."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import kakehashi

# Framework routes that are not ours to authorise.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"set_language", "api:api-root", "api:openapi-json", "api:openapi-view"}


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in EXEMPT_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _named_urls(pattern, full_ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _declared_cases():
    declared = set()
    for module in pkgutil.walk_packages(kakehashi.__path__, "kakehashi."):
        name = module.name.rsplit(".", 1)[-1]
        if ".tests." in module.name and name.startswith("test_") and name.endswith("permissions"):
            cases = getattr(importlib.import_module(module.name), "CASES", [])
            declared.update(case.url_name for case in cases)
    return declared


def test_every_named_url_has_a_permission_case():
    missing = sorted(set(_named_urls()) - _declared_cases() - EXEMPT_NAMES)
    assert not missing, f"URLs without a permission-matrix case: {missing}"
