"""Permission matrix of the registry screens (and of the registry API once the site mounts it).

Out-of-scope objects answer 404 to staff but 403 to those with no registry access at all, so they are
tested in `test_out_of_scope_*` below rather than as matrix cases (a case has one denied status).
"""

import pytest
from django.urls import reverse

from kakehashi.core.testing import OFFICE, STAFF, Case, matrix_params

EDITORS = {"prefecture", "manager", "communicator", "superuser"}
EXPORTERS = {"prefecture", "manager", "communicator", "coordinator", "superuser"}
CONTACT_ROLES = {"prefecture", "manager", "communicator"}  # not even superusers: personal information


def _company(ctx):
    from kakehashi.companies.tests.factories import CompanyFactory, MunicipalityFactory

    city = MunicipalityFactory(code="062014", name="山形市", prefecture=ctx["programme"].prefecture)
    return {"company": CompanyFactory(name="株式会社山形精機", municipality=city)}


def _shared_company(ctx):
    """A company that also agreed, at a visit, to share with the foundation: coordinators may open it too."""
    from kakehashi.sharing.tests.factories import shared_visit

    objects = _company(ctx)
    shared_visit(ctx["programme"], company=objects["company"])
    return objects


def _company_with_contact(ctx):
    from kakehashi.companies.tests.factories import ContactFactory

    objects = _company(ctx)
    objects["contact"] = ContactFactory(company=objects["company"])
    return objects


def _pair(ctx):
    from kakehashi.companies.tests.factories import CompanyFactory

    objects = _company(ctx)
    objects["twin"] = CompanyFactory(name="山形精機（株）", municipality=objects["company"].municipality)
    return objects


def _company_kwargs(ctx):
    return {"pk": ctx["company"].pk}


def _contact_kwargs(ctx):
    return {"pk": ctx["company"].pk, "contact_pk": ctx["contact"].pk}


def _pair_kwargs(ctx):
    return {"pk": ctx["company"].pk, "other_pk": ctx["twin"].pk}


def _company_data(ctx):
    return {"name": "株式会社山形精機", "status": "active", "address": "旅篭町二丁目3-25"}


CASES = [
    Case("companies:list", STAFF),
    Case("companies:export", EXPORTERS, kwargs={"fmt": "csv"}),
    Case("companies:create", EDITORS),
    Case("companies:create", EDITORS, method="post", data={"name": "新しい商店", "status": "active"}, ok_status={302}),
    Case("companies:detail", STAFF, setup=_shared_company, kwargs=_company_kwargs),
    Case("companies:update", EDITORS, setup=_company, kwargs=_company_kwargs),
    Case(
        "companies:update",
        EDITORS,
        method="post",
        setup=_company,
        kwargs=_company_kwargs,
        data=_company_data,
        ok_status={302},
    ),
    Case("companies:contact_create", CONTACT_ROLES, setup=_company, kwargs=_company_kwargs),
    Case(
        "companies:contact_create",
        CONTACT_ROLES,
        method="post",
        setup=_company,
        kwargs=_company_kwargs,
        data={"name": "山田 花子"},
        ok_status={302},
    ),
    Case("companies:contact_update", CONTACT_ROLES, setup=_company_with_contact, kwargs=_contact_kwargs),
    Case(
        "companies:contact_update",
        CONTACT_ROLES,
        method="post",
        setup=_company_with_contact,
        kwargs=_contact_kwargs,
        data={"name": "山田 花子"},
        ok_status={302},
    ),
    Case("companies:contact_delete", CONTACT_ROLES, setup=_company_with_contact, kwargs=_contact_kwargs),
    Case(
        "companies:contact_delete",
        CONTACT_ROLES,
        method="post",
        setup=_company_with_contact,
        kwargs=_contact_kwargs,
        ok_status={302},
    ),
    Case("companies:duplicates", OFFICE),
    Case("companies:merge", OFFICE, setup=_pair, kwargs=_pair_kwargs),
    Case(
        "companies:merge",
        OFFICE,
        method="post",
        setup=_pair,
        kwargs=_pair_kwargs,
        data=lambda ctx: {"survivor": ctx["company"].pk},
        ok_status={302},
    ),
]


CASES += [
    Case("api:list_companies", STAFF, api=True),
    Case(
        "api:get_company",
        STAFF,
        api=True,
        setup=_shared_company,
        kwargs=lambda ctx: {"company_id": ctx["company"].pk},
    ),
    Case("api:match_companies", STAFF, api=True, setup=_company, data={"name": "山形精機"}),
    Case("api:suggest_companies", STAFF, api=True, setup=_company, data={"q": "山形"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_companies_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)


# --- Out of scope: a company of another prefecture, designated only in a programme the user is not in -----------

STAFF_ROLES = ["prefecture", "manager", "communicator", "coordinator", "partner"]


@pytest.fixture
def foreign(other_programme, make_user):
    from kakehashi.companies.tests.factories import CompanyFactory, ContactFactory, MunicipalityFactory
    from kakehashi.outreach.services import designation_add
    from kakehashi.outreach.tests.factories import PrefectureFactory

    sendai = MunicipalityFactory(code="041009", name="仙台市", prefecture=PrefectureFactory(code="04", name="宮城県"))
    company = CompanyFactory(name="仙台の会社", municipality=sendai)
    twin = CompanyFactory(name="仙台の会社", municipality=sendai)
    designation_add(actor=None, programme=other_programme, company=company)
    return {"company": company, "twin": twin, "contact": ContactFactory(company=company)}


def _foreign_urls(foreign):
    pk = foreign["company"].pk
    return [
        reverse("companies:detail", args=[pk]),
        reverse("companies:update", args=[pk]),
        reverse("companies:contact_create", args=[pk]),
        reverse("companies:contact_update", args=[pk, foreign["contact"].pk]),
        reverse("companies:contact_delete", args=[pk, foreign["contact"].pk]),
        reverse("companies:merge", args=[pk, foreign["twin"].pk]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
def test_out_of_scope_objects_are_404_or_403_never_shown(client_for, foreign, role):
    client = client_for(role)
    for url in _foreign_urls(foreign):
        status = client.get(url).status_code
        # 404 where the role could act on an in-scope company, 403 where it never could.
        assert status in {403, 404}, url
    assert client.get(reverse("companies:detail", args=[foreign["company"].pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["prefecture", "manager"])
def test_out_of_scope_merge_is_404_for_curators(client_for, foreign, role):
    url = reverse("companies:merge", args=[foreign["company"].pk, foreign["twin"].pk])
    assert client_for(role).post(url, {"survivor": foreign["company"].pk}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["prefecture", "manager", "communicator"])
def test_out_of_scope_contacts_are_404_for_contact_roles(client_for, foreign, role):
    url = reverse("companies:contact_update", args=[foreign["company"].pk, foreign["contact"].pk])
    assert client_for(role).get(url).status_code == 404


@pytest.mark.django_db
def test_a_member_without_programmes_sees_no_companies(client_for, foreign, programme):
    from kakehashi.companies.tests.factories import CompanyFactory

    CompanyFactory(name="所在地未設定の会社")
    body = client_for("communicator", member=False).get(reverse("companies:list")).content.decode()
    assert "所在地未設定の会社" not in body
    assert "仙台の会社" not in body


@pytest.mark.django_db
def test_superuser_reaches_out_of_scope_objects_but_not_contacts(client_for, foreign):
    client = client_for("superuser")
    assert client.get(reverse("companies:detail", args=[foreign["company"].pk])).status_code == 200
    url = reverse("companies:contact_update", args=[foreign["company"].pk, foreign["contact"].pk])
    assert client.get(url).status_code == 403
