import pytest

from kakehashi.core.testing import Case, matrix_params

OFFICE_CONTACTS = {"prefecture", "manager"}


def _request(ctx, *, in_scope: bool = True):
    """A registered deletion request about a contact of a company in (or outside) the programme's scope."""
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.companies.tests.factories import ContactFactory
    from kakehashi.outreach.models import DesignatedCompany
    from kakehashi.privacy.models import ErasureRequest

    if in_scope:
        contact = ContactFactory()
        DesignatedCompany.objects.create(programme=ctx["programme"], company=contact.company)
    else:  # a company of another prefecture, designated in another programme only
        from kakehashi.companies.tests.factories import CompanyFactory, MunicipalityFactory
        from kakehashi.outreach.tests.factories import PrefectureFactory

        miyagi = PrefectureFactory(code="04", name="宮城県")
        sendai = MunicipalityFactory(code="041009", name="仙台市", prefecture=miyagi)
        contact = ContactFactory(company=CompanyFactory(name="仙台の会社", municipality=sendai))
        DesignatedCompany.objects.create(programme=ctx["other_programme"], company=contact.company)
    erasure = ErasureRequest.objects.create(
        contact=contact,
        subject_label=f"担当者 #{contact.pk}",
        channel="email",
        received_on="2026-07-01",
        registered_by=UserFactory(),
    )
    return {"erasure": erasure}


CASES = [
    Case("privacy:access_log", {"prefecture", "superuser"}),
    Case("privacy:access_log_export", {"prefecture", "superuser"}),
    Case("privacy:erasure_list", OFFICE_CONTACTS),
    Case("privacy:erasure_create", OFFICE_CONTACTS),
    Case("privacy:erasure_detail", OFFICE_CONTACTS, setup=_request, kwargs=lambda ctx: {"pk": ctx["erasure"].pk}),
    Case(
        "privacy:erasure_review",
        OFFICE_CONTACTS,
        method="post",
        setup=_request,
        kwargs=lambda ctx: {"pk": ctx["erasure"].pk},
        data={"decision": "reject"},
        ok_status={302},
    ),
    Case(
        "privacy:erasure_execute",
        OFFICE_CONTACTS,
        method="post",
        setup=_request,
        kwargs=lambda ctx: {"pk": ctx["erasure"].pk},
        ok_status={302},
    ),
]

# Out of scope: a request about a contact of another programme's company is 404 even for the office.
OUT_OF_SCOPE = [
    Case(
        "privacy:erasure_detail",
        set(),
        setup=lambda ctx: _request(ctx, in_scope=False),
        kwargs=lambda ctx: {"pk": ctx["erasure"].pk},
        denied_status=404,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_privacy_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["prefecture", "manager"])
def test_out_of_scope_requests_are_404(actor, run_matrix_case):
    run_matrix_case(OUT_OF_SCOPE[0], actor)
