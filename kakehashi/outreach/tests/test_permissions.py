import pytest

from kakehashi.core.testing import SIGNED_IN, STAFF, Case, matrix_params

CASES = [
    Case("api:list_programmes", SIGNED_IN, api=True),
    # Members see their programme; anyone else gets 404, as if it did not exist.
    Case("api:get_programme", STAFF, api=True, kwargs=lambda ctx: {"code": ctx["programme"].code}, denied_status=404),
    Case(
        "api:get_programme",
        {"superuser"},
        api=True,
        kwargs=lambda ctx: {"code": ctx["other_programme"].code},
        denied_status=404,
    ),
]


# --- Visit reports ------------------------------------------------------------------------------------------------
# Screens answer 403 to roles without visit access; object URLs answer 404 whether the visit is missing, out of the
# programme or not allowed (fetch and authorise in one step). Coordinators and partners have no access yet.

VISIT_STAFF = {"prefecture", "manager", "communicator", "superuser"}
RECORDERS = {"manager", "communicator", "superuser"}
VISIT_EXPORTERS = {"prefecture", "manager", "superuser"}
NEW_UUID = "3f1d2c4b-5a69-4e7f-8a9b-0c1d2e3f4a5b"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _member(programme, role="communicator"):
    from kakehashi.accounts.tests.factories import UserFactory
    from kakehashi.outreach.models import ProgrammeMembership

    user = UserFactory(roles=[role])
    ProgrammeMembership.objects.create(programme=programme, user=user, role=role)
    return user


def _submitted_in(programme):
    from kakehashi.companies.tests.factories import CompanyFactory
    from kakehashi.outreach.tests.factories import VisitFactory
    from kakehashi.reference.models import CodeItem

    visit_format, _ = CodeItem.objects.get_or_create(list="visit_format", code="visit", defaults={"label_ja": "訪問"})
    return VisitFactory(
        programme=programme,
        recorded_by=_member(programme),
        status="submitted",
        company=CompanyFactory(),
        visit_format=visit_format,
    )


def _submitted(ctx):
    return {"visit": _submitted_in(ctx["programme"])}


def _submitted_elsewhere(ctx):
    return {"visit": _submitted_in(ctx["other_programme"])}


def _others_draft(ctx):
    from kakehashi.outreach.tests.factories import VisitFactory

    return {"visit": VisitFactory(programme=ctx["programme"], recorded_by=_member(ctx["programme"]))}


def _own_draft(ctx):
    """A draft recorded by the acting user (by someone else when anonymous)."""
    from kakehashi.outreach.tests.factories import VisitFactory

    recorder = ctx["user"] or _member(ctx["programme"])
    return {"visit": VisitFactory(programme=ctx["programme"], recorded_by=recorder)}


def _with_attachment(ctx):
    from django.core.files.base import ContentFile

    from kakehashi.outreach.models import VisitAttachment

    visit = _submitted_in(ctx["programme"])
    attachment = VisitAttachment(visit=visit, original_name="a.png", content_type="image/png", size=len(PNG))
    attachment.file.save("a.png", ContentFile(PNG), save=True)
    return {"visit": visit, "attachment": attachment}


def _company(ctx):
    from kakehashi.companies.tests.factories import CompanyFactory

    return {"company": CompanyFactory(name="テスト株式会社", municipality=None)}


def _visit_kwargs(ctx):
    return {"uuid": ctx["visit"].uuid}


def _attachment_kwargs(ctx):
    return {"uuid": ctx["visit"].uuid, "pk": ctx["attachment"].pk}


CASES += [
    Case("outreach:visit_today", VISIT_STAFF),
    Case("outreach:visit_list", VISIT_STAFF | {"coordinator"}),  # coordinators: only shared visits
    Case("outreach:visit_new", RECORDERS, ok_status={302}),
    Case("outreach:visit_export", VISIT_EXPORTERS, kwargs={"fmt": "csv"}),
    Case("outreach:visit_company_search", VISIT_STAFF, data={"company_q": "テ"}),
    Case("outreach:visit_company_pick", VISIT_STAFF, setup=_company, data=lambda ctx: {"company": ctx["company"].pk}),
    Case("outreach:visit_company_create", VISIT_STAFF, method="post", data={"new_company_name": "合同会社マトリクス"}),
    Case("outreach:visit_content_suggestions", VISIT_STAFF, data={"challenges": "security"}),
    Case("outreach:visit_detail", VISIT_STAFF, setup=_submitted, kwargs=_visit_kwargs, denied_status=404),
    Case("outreach:visit_detail", {"superuser"}, setup=_submitted_elsewhere, kwargs=_visit_kwargs, denied_status=404),
    Case(
        "outreach:visit_detail", {"manager", "superuser"}, setup=_others_draft, kwargs=_visit_kwargs, denied_status=404
    ),
    # A report not yet saved: who may start one here.
    Case("outreach:visit_edit", RECORDERS, kwargs={"uuid": NEW_UUID}),
    Case("outreach:visit_edit", RECORDERS, setup=_own_draft, kwargs=_visit_kwargs, denied_status=404),
    Case("outreach:visit_edit", {"manager", "superuser"}, setup=_submitted, kwargs=_visit_kwargs, denied_status=404),
    Case("outreach:visit_autosave", RECORDERS, method="post", kwargs={"uuid": NEW_UUID}),
    Case(
        "outreach:visit_autosave", RECORDERS, method="post", setup=_own_draft, kwargs=_visit_kwargs, denied_status=404
    ),
    Case(
        "outreach:visit_review",
        {"manager", "superuser"},
        method="post",
        setup=_submitted,
        kwargs=_visit_kwargs,
        data={"decision": "accept"},
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "outreach:visit_discard",
        RECORDERS,
        method="post",
        setup=_own_draft,
        kwargs=_visit_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "outreach:visit_attachment_upload",
        RECORDERS,
        method="post",
        setup=_own_draft,
        kwargs=_visit_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "outreach:visit_attachment", VISIT_STAFF, setup=_with_attachment, kwargs=_attachment_kwargs, denied_status=404
    ),
    Case(
        "outreach:visit_attachment_delete",
        {"manager", "superuser"},
        method="post",
        setup=_with_attachment,
        kwargs=_attachment_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    # The body is parsed before the view runs, so without a JSON body every signed-in caller gets 400; who may
    # record is tested with real bodies in test_visit_api.py.
    Case("api:create_visit", SIGNED_IN, method="post", api=True, ok_status={400, 422}),
    Case("api:list_visits", VISIT_STAFF | {"coordinator"}, api=True),
    Case(
        "api:get_visit",
        VISIT_STAFF,
        api=True,
        setup=_submitted,
        kwargs=lambda ctx: {"visit_uuid": ctx["visit"].uuid},
        denied_status=404,
    ),
    Case(
        "api:get_visit",
        {"superuser"},
        api=True,
        setup=_submitted_elsewhere,
        kwargs=lambda ctx: {"visit_uuid": ctx["visit"].uuid},
        denied_status=404,
    ),
]


# --- The library: hearing manual and content (urls_library.py) -----------------------------------------------------
# Every staff role of the programme reads the manual and the content; statistics and usage are for those who read
# visit reports; prefecture staff and managers edit. Objects of another programme answer 404.

LIBRARY_READERS = {"prefecture", "manager", "communicator", "coordinator", "partner", "superuser"}
LIBRARY_ANALYSTS = {"prefecture", "manager", "communicator", "superuser"}
LIBRARY_EDITORS = {"prefecture", "manager", "superuser"}


def _manual(ctx):
    from kakehashi.outreach.tests.library_factories import manual_with_version

    manual, _version = manual_with_version(ctx["programme"])
    return {"manual": manual}


def _manual_elsewhere(ctx):
    from kakehashi.outreach.tests.library_factories import manual_with_version

    manual, _version = manual_with_version(ctx["other_programme"])
    return {"manual": manual}


def _manual_with_change(ctx):
    from kakehashi.outreach.services.manuals import manual_question_save

    manual = _manual(ctx)["manual"]
    manual_question_save(actor=None, manual=manual, section_key="s1", values={"kind": "text", "label": "追加"})
    return {"manual": manual}


def _not_past(programme):
    import datetime

    from django.utils import timezone

    return max(timezone.localdate(), programme.start_date) + datetime.timedelta(days=1)


def _manual_kwargs(ctx):
    return {"pk": ctx["manual"].pk}


def _content(ctx):
    from django.core.files.base import ContentFile

    from kakehashi.outreach.tests.library_factories import ContentItemFactory

    item = ContentItemFactory(programme=ctx["programme"])
    item.file.save("a.png", ContentFile(PNG), save=False)
    item.file_name, item.file_type, item.file_size = "a.png", "image/png", len(PNG)
    item.save()
    return {"item": item}


def _content_elsewhere(ctx):
    from kakehashi.outreach.tests.library_factories import ContentItemFactory

    return {"item": ContentItemFactory(programme=ctx["other_programme"])}


def _item_kwargs(ctx):
    return {"pk": ctx["item"].pk}


CASES += [
    Case("library:manual_list", LIBRARY_READERS),
    Case("library:manual_create", LIBRARY_EDITORS),
    Case("library:manual_detail", LIBRARY_READERS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_detail", {"superuser"}, setup=_manual_elsewhere, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_pdf", LIBRARY_READERS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_stats", LIBRARY_ANALYSTS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_edit", LIBRARY_EDITORS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_draft", LIBRARY_EDITORS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_draft", {"superuser"}, setup=_manual_elsewhere, kwargs=_manual_kwargs, denied_status=404),
    Case("library:manual_preview", LIBRARY_EDITORS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case(
        "library:manual_reset",
        LIBRARY_EDITORS,
        method="post",
        setup=_manual,
        kwargs=_manual_kwargs,
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "library:manual_publish",
        LIBRARY_EDITORS,
        method="post",
        setup=_manual_with_change,
        kwargs=_manual_kwargs,
        data=lambda ctx: {"valid_from": _not_past(ctx["programme"]).isoformat()},
        ok_status={302},
        denied_status=404,
    ),
    Case("library:manual_section_new", LIBRARY_EDITORS, setup=_manual, kwargs=_manual_kwargs, denied_status=404),
    Case(
        "library:manual_section_edit",
        LIBRARY_EDITORS,
        setup=_manual,
        kwargs=lambda ctx: {"pk": ctx["manual"].pk, "section_key": "s1"},
        denied_status=404,
    ),
    Case(
        "library:manual_section_action",
        LIBRARY_EDITORS,
        method="post",
        setup=_manual,
        kwargs=lambda ctx: {"pk": ctx["manual"].pk, "section_key": "s1"},
        data={"action": "down"},
        ok_status={302},
        denied_status=404,
    ),
    Case(
        "library:manual_question_new",
        LIBRARY_EDITORS,
        setup=_manual,
        kwargs=lambda ctx: {"pk": ctx["manual"].pk, "section_key": "s1"},
        denied_status=404,
    ),
    Case(
        "library:manual_question_edit",
        LIBRARY_EDITORS,
        setup=_manual,
        kwargs=lambda ctx: {"pk": ctx["manual"].pk, "question_key": "tools"},
        denied_status=404,
    ),
    Case(
        "library:manual_question_action",
        LIBRARY_EDITORS,
        method="post",
        setup=_manual,
        kwargs=lambda ctx: {"pk": ctx["manual"].pk, "question_key": "tools"},
        data={"action": "up"},
        ok_status={302},
        denied_status=404,
    ),
    Case("library:content_list", LIBRARY_READERS),
    Case("library:content_create", LIBRARY_EDITORS),
    Case("library:content_usage", LIBRARY_ANALYSTS),
    Case("library:content_detail", LIBRARY_READERS, setup=_content, kwargs=_item_kwargs, denied_status=404),
    Case("library:content_detail", {"superuser"}, setup=_content_elsewhere, kwargs=_item_kwargs, denied_status=404),
    Case("library:content_edit", LIBRARY_EDITORS, setup=_content, kwargs=_item_kwargs, denied_status=404),
    Case("library:content_file", LIBRARY_READERS, setup=_content, kwargs=_item_kwargs, denied_status=404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "actor"), matrix_params(CASES))
def test_outreach_permissions(case, actor, run_matrix_case):
    run_matrix_case(case, actor)
