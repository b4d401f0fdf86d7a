"""Registry screens: list (with search-as-you-type and exports), detail, edit, contacts, duplicates, merge."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kakehashi.core.changelog import history_for
from kakehashi.core.htmx import render_page_or_partial
from kakehashi.core.pagination import paginate

from . import selectors, services
from .choices import CompanySource, CompanyStatus
from .exports import EXPORT_FORMATS, company_export_response
from .filters import filter_companies
from .forms import CompanyForm, ContactForm, MergeForm
from .models import Contact
from .registry_matching import probable_matches
from .rules import may_change_contacts, may_view_contacts

DUPLICATES_PER_PAGE = 20
HISTORY_LIMIT = 50


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _require_contacts(request) -> None:
    if not may_change_contacts(request.user):
        raise PermissionDenied


def _company_or_404(request, pk: int):
    company = selectors.company_detail_for(request.user, pk)
    if company is None:
        raise Http404
    return company


def _live_company_or_404(request, pk: int):
    """A company that may still be changed: merged records are kept as they were merged."""
    company = _company_or_404(request, pk)
    if company.status == CompanyStatus.MERGED:
        raise Http404
    return company


def _programme(request):
    programme = getattr(request, "programme", None)
    return programme if programme else None


@login_required
def company_list(request):
    _require(request, "companies.view_company")
    programme = _programme(request)
    result = filter_companies(
        selectors.company_list_for(request.user, programme=programme), request.GET, programme=programme
    )
    page = paginate(request, result.queryset)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": result.form,
        "ignored": result.ignored,
        "programme": programme,
        "querystring": query.urlencode(),
        "can_add": request.user.has_perm("companies.add_company"),
        "can_export": request.user.has_perm("companies.export_company"),
        "can_review": request.user.has_perm("companies.review_duplicates"),
    }
    return render_page_or_partial(request, "companies/company_list.html", context, "results")


@login_required
def company_export(request, fmt: str):
    _require(request, "companies.export_company")
    if fmt not in EXPORT_FORMATS:
        raise Http404
    programme = _programme(request)
    result = filter_companies(selectors.companies_for(request.user), request.GET, programme=programme)
    return company_export_response(result.queryset, fmt=fmt, user=request.user, programme=programme)


@login_required
def company_detail(request, pk: int):
    _require(request, "companies.view_company")
    company = _company_or_404(request, pk)
    can_view_contacts = may_view_contacts(request.user, company)
    contacts = list(selectors.contacts_for(request.user, company)) if can_view_contacts else []
    if contacts:
        from kakehashi.privacy.services import contact_view_record

        contact_view_record(actor=request.user, contacts=contacts, via=company)
    source_labels = dict(CompanySource.choices)
    context = {
        "company": company,
        "designations": selectors.designations_for(request.user, company),
        "sources": [source_labels.get(s, s) for s in company.sources],
        "can_view_contacts": can_view_contacts,
        "contacts": contacts,
        "can_change": request.user.has_perm("companies.change_company"),
        "can_change_contacts": may_change_contacts(request.user, company),
        "can_merge": request.user.has_perm("companies.merge_company"),
        "history": history_for(company)[:HISTORY_LIMIT],
    }
    return render(request, "companies/company_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def company_create(request):
    _require(request, "companies.add_company")
    programme = _programme(request)
    form = CompanyForm(request.POST or None, programme=programme)
    matches = []
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        # The confirmation holds only for the name the matches were shown for.
        confirmed = request.POST.get("confirm_distinct") == "1" and request.POST.get("checked_name") == fields["name"]
        if not confirmed:
            matches = probable_matches(
                queryset=selectors.companies_for(request.user).select_related("municipality__prefecture"),
                name=fields["name"],
                corporate_number=fields.get("corporate_number"),
                municipality=fields.get("municipality"),
                postal_code=fields.get("postal_code"),
                kana=fields.get("name_kana"),
            )
        if not matches:
            company = services.company_create(actor=request.user, source=CompanySource.MANUAL, **fields)
            messages.success(request, _("「%(name)s」を登録しました。") % {"name": company.name})
            return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"form": form, "matches": matches, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def company_update(request, pk: int):
    _require(request, "companies.change_company")
    company = _live_company_or_404(request, pk)
    # The form works on a copy so that the service's "before" snapshot sees the stored values.
    form = CompanyForm(request.POST or None, instance=copy.copy(company), programme=_programme(request))
    if request.method == "POST" and form.is_valid():
        services.company_update(actor=request.user, company=company, **form.service_fields())
        messages.success(request, _("「%(name)s」を更新しました。") % {"name": company.name})
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"form": form, "company": company, "creating": False})


def _contact_or_404(request, company, contact_pk: int) -> Contact:
    contact = selectors.contacts_for(request.user, company).filter(pk=contact_pk).first()
    if contact is None:
        raise Http404
    return contact


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    _require_contacts(request)
    company = _live_company_or_404(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(actor=request.user, company=company, **form.service_fields())
        messages.success(request, _("担当者を登録しました。"))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/contact_form.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "POST"])
def contact_update(request, pk: int, contact_pk: int):
    _require_contacts(request)
    company = _company_or_404(request, pk)
    contact = _contact_or_404(request, company, contact_pk)
    form = ContactForm(request.POST or None, instance=copy.copy(contact))
    if request.method == "POST" and form.is_valid():
        services.contact_update(actor=request.user, contact=contact, **form.service_fields())
        messages.success(request, _("担当者を更新しました。"))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/contact_form.html", {"form": form, "company": company, "contact": contact})


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk: int, contact_pk: int):
    _require_contacts(request)
    company = _company_or_404(request, pk)
    contact = _contact_or_404(request, company, contact_pk)
    if request.method == "POST":
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, _("担当者を削除しました。"))
        return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/contact_delete.html", {"company": company, "contact": contact})


@login_required
def duplicate_list(request):
    _require(request, "companies.review_duplicates")
    similar = request.GET.get("similar") == "1"
    pairs = selectors.duplicate_pairs_for(request.user, similar=similar)
    page = Paginator(pairs, DUPLICATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "reasons": DUPLICATE_REASONS, "similar": similar}
    return render(request, "companies/duplicates.html", context)


DUPLICATE_REASONS = {
    selectors.REASON_SAME_NAME_MUNICIPALITY: gettext_lazy("同じ市区町村に同じ名称"),
    selectors.REASON_SAME_NAME_NO_NUMBER: gettext_lazy("同じ名称で、法人番号のない記録がある"),
    selectors.REASON_SIMILAR_NAME: gettext_lazy("同じ市区町村に似た名称"),
}


@login_required
@require_http_methods(["GET", "POST"])
def company_merge(request, pk: int, other_pk: int):
    _require(request, "companies.merge_company")
    first, second = _company_or_404(request, pk), _company_or_404(request, other_pk)
    if first.pk == second.pk:
        raise Http404
    form = MergeForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        survivor, merged = (first, second) if form.cleaned_data["survivor"] == first.pk else (second, first)
        try:
            survivor = services.company_merge(actor=request.user, survivor=survivor, merged=merged)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("「%(merged)s」を「%(survivor)s」に統合しました。")
                % {"merged": merged.name, "survivor": survivor.name},
            )
            return redirect("companies:detail", pk=survivor.pk)
    context = {
        "form": form,
        "first": first,
        "second": second,
        "rows": _comparison_rows(first, second),
        "can_view_contacts": may_view_contacts(request.user),
        "contact_counts": (first.contacts.count(), second.contacts.count()),
        "designation_counts": (first.designations.count(), second.designations.count()),
    }
    return render(request, "companies/merge_confirm.html", context)


COMPARED_FIELDS = (
    "corporate_number",
    "name",
    "name_kana",
    "legal_form",
    "postal_code",
    "municipality",
    "address",
    "industry",
    "business_form",
    "employees_band",
    "revenue_band",
    "website",
    "status",
    "created_at",
    "updated_at",
)


def _display(company, name: str):
    field = company._meta.get_field(name)
    if field.choices:
        return getattr(company, f"get_{name}_display")()
    value = getattr(company, name)
    if name == "municipality" and value is not None:
        return f"{value.prefecture.name}{value.name}"
    return value


def _comparison_rows(first, second) -> list[dict]:
    rows = []
    for name in COMPARED_FIELDS:
        a, b = _display(first, name), _display(second, name)
        rows.append({"label": first._meta.get_field(name).verbose_name, "first": a, "second": b, "differs": a != b})
    return rows
