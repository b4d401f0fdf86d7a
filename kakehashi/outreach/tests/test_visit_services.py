"""Visit report services: drafts, submission rules, write-back to the registry, contacts, review, idempotency."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kakehashi.companies.models import Contact
from kakehashi.companies.tests.factories import ContactFactory
from kakehashi.core.choices import ChangeAction
from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.choices import VisitStatus
from kakehashi.outreach.models import ContentItem, Visit
from kakehashi.outreach.services import visits as services
from kakehashi.outreach.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _log(instance, action=None):
    entries = ChangeLogEntry.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)
    return entries.filter(action=action) if action else entries


def _draft(actor, programme, **values):
    return services.visit_draft_save(actor=actor, programme=programme, values=values)


# --- Drafts --------------------------------------------------------------------------------------------------------


def test_an_empty_draft_is_kept_with_the_recorder_as_communicator(communicator, visit_programme):
    visit = _draft(communicator, visit_programme)

    assert visit.status == VisitStatus.DRAFT
    assert visit.recorded_by == communicator
    assert list(visit.communicators.all()) == [communicator]
    assert _log(visit, ChangeAction.CREATE).count() == 1


def test_a_draft_takes_the_uuid_it_was_started_with(communicator, visit_programme):
    started = "0b6f1f5e-2c55-4a53-9c59-3d6c3e2f2a10"
    visit = services.visit_draft_save(actor=communicator, programme=visit_programme, uuid=started, values={})
    assert str(visit.uuid) == started


def test_saving_a_draft_again_keeps_earlier_fields_and_is_not_logged(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, summary="途中まで")
    visit = services.visit_draft_save(
        actor=communicator, visit=visit, values={"company": full_values["company"]}, contact={"name": "山田 太郎"}
    )

    visit.refresh_from_db()
    assert visit.summary == "途中まで"
    assert visit.company == full_values["company"]
    assert visit.draft_data["contact"]["name"] == "山田 太郎"
    assert not Contact.objects.exists(), "a draft's contact is not stored until submission"
    assert _log(visit).count() == 1  # only the creation


def test_times_must_be_ordered_even_in_a_draft(communicator, visit_programme):
    with pytest.raises(ValidationError) as error:
        _draft(communicator, visit_programme, start_time=datetime.time(11), end_time=datetime.time(10))
    assert error.value.message_dict["end_time"] == ["終了時刻は開始時刻より後にしてください。"]


def test_a_code_from_the_wrong_list_is_refused(communicator, visit_programme, codes):
    with pytest.raises(ValidationError) as error:
        _draft(communicator, visit_programme, challenges=[codes("barrier", "budget")])
    assert "challenges" in error.value.message_dict


def test_a_single_code_from_the_wrong_list_is_refused(communicator, visit_programme, codes):
    with pytest.raises(ValidationError) as error:
        _draft(communicator, visit_programme, visit_format=codes("interest_level", "high"))
    assert "visit_format" in error.value.message_dict


def test_content_shown_counts_as_its_introduction(communicator, visit_programme, codes):
    item = ContentItem.objects.create(
        programme=visit_programme,
        title="機構の相談窓口",
        kind="referral",
        introduction=codes("introduction", "foundation_consultation"),
    )
    visit = _draft(communicator, visit_programme, contents_shown=[item])
    assert [i.code for i in visit.introductions.all()] == ["foundation_consultation"]


def test_content_of_another_programme_is_refused(communicator, visit_programme, other_programme):
    item = ContentItem.objects.create(programme=other_programme, title="他事業の資料", kind="interest")
    with pytest.raises(ValidationError):
        _draft(communicator, visit_programme, contents_shown=[item])


# --- Who may write -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["prefecture", "coordinator", "partner", "company_member", "no_role"])
def test_only_communicators_and_managers_record_visits(role, make_user, visit_programme):
    with pytest.raises(PermissionDenied):
        _draft(make_user(role), visit_programme)


def test_a_communicator_cannot_record_in_another_programme(communicator, other_programme):
    with pytest.raises(PermissionDenied):
        _draft(communicator, other_programme)


def test_another_communicator_cannot_edit_my_draft(communicator, make_user, visit_programme):
    visit = _draft(communicator, visit_programme)
    with pytest.raises(PermissionDenied):
        services.visit_draft_save(actor=make_user("communicator"), visit=visit, values={"summary": "x"})


# --- Submission ----------------------------------------------------------------------------------------------------


def test_submission_lists_what_is_missing_in_japanese(communicator, visit_programme):
    visit = _draft(communicator, visit_programme, visit_date=None)
    with pytest.raises(ValidationError) as error:
        services.visit_submit(actor=communicator, visit=visit)
    assert error.value.message_dict == {
        "company": ["企業等を選んでください。"],
        "visit_date": ["訪問日を入力してください。"],
        "visit_format": ["外訪形態を選んでください。"],
        "challenges": ["課題カテゴリを1つ以上選ぶか、面談概要を入力してください。"],
    }
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


@pytest.mark.parametrize("keep", ["challenges", "summary"])
def test_a_challenge_or_a_summary_is_enough(keep, communicator, visit_programme, full_values):
    values = dict(full_values)
    values.pop("summary" if keep == "challenges" else "challenges")
    visit = _draft(communicator, visit_programme, **values)

    visit = services.visit_submit(actor=communicator, visit=visit)

    assert visit.status == VisitStatus.SUBMITTED
    assert visit.submitted_at is not None


def test_a_visit_cannot_be_dated_in_the_future_or_outside_the_programme(communicator, visit_programme, full_values):
    visit = _draft(
        communicator,
        visit_programme,
        **{**full_values, "visit_date": timezone.localdate() + datetime.timedelta(days=1)},
    )
    with pytest.raises(ValidationError) as error:
        services.visit_submit(actor=communicator, visit=visit)
    assert error.value.message_dict["visit_date"] == ["訪問日に未来の日付は指定できません。"]

    before_start = visit_programme.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.visit_submit(actor=communicator, visit=visit, values={"visit_date": before_start})
    assert "事業期間" in error.value.message_dict["visit_date"][0]


def test_submission_is_logged_with_the_whole_report(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, **full_values)
    services.visit_submit(actor=communicator, visit=visit, contact={"name": "山田 太郎", "phone": "023-630-2211"})

    entry = _log(visit, ChangeAction.STATUS).get()
    assert entry.note == "提出"
    assert entry.changes["status"] == [None, "submitted"]
    assert entry.changes["challenges"][1] == ["production", "security"]
    assert "draft_data" not in entry.changes
    assert "search_text" not in entry.changes
    assert "023-630-2211" not in str(entry.changes)


def test_corrected_company_attributes_are_written_back_and_logged(
    communicator, visit_programme, full_values, codes, other_municipality
):
    company = full_values["company"]
    visit = _draft(
        communicator,
        visit_programme,
        **full_values,
        employees_band=codes("employees", "51_100"),
        municipality=other_municipality,
    )
    services.visit_submit(actor=communicator, visit=visit)

    company.refresh_from_db()
    assert company.employees_band.code == "51_100"
    assert company.municipality == other_municipality
    entry = _log(company, ChangeAction.UPDATE).get()
    assert entry.actor == communicator
    assert entry.note.startswith("訪問報告")
    assert set(entry.changes) >= {"employees_band_id", "municipality_id"}


def test_attributes_left_blank_take_the_registry_values(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, **full_values)
    visit = services.visit_submit(actor=communicator, visit=visit)

    assert visit.employees_band.code == "21_50"
    assert visit.municipality == full_values["company"].municipality
    assert not _log(full_values["company"], ChangeAction.UPDATE).exists(), "nothing changed, nothing written back"


def test_the_contact_is_stored_as_the_companys_contact(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, **full_values)
    visit = services.visit_submit(
        actor=communicator,
        visit=visit,
        contact={"name": "山田　太郎", "title": "総務部長", "phone": "023-630-2211", "email": "yamada@example.jp"},
    )

    contact = visit.contact
    assert contact.company == full_values["company"]
    assert (contact.name, contact.title, contact.email) == ("山田 太郎", "総務部長", "yamada@example.jp")
    visit.refresh_from_db()
    assert visit.draft_data == {}


def test_an_existing_contact_of_that_name_is_reused_and_updated(communicator, visit_programme, full_values):
    existing = ContactFactory(company=full_values["company"], name="山田 太郎", phone="023-000-0000")
    visit = _draft(communicator, visit_programme, **full_values)
    visit = services.visit_submit(
        actor=communicator, visit=visit, contact={"name": "山田太郎", "phone": "023-630-2211"}
    )

    assert visit.contact == existing
    existing.refresh_from_db()
    assert existing.phone == "023-630-2211"
    assert Contact.objects.count() == 1


def test_the_contact_typed_into_a_draft_is_stored_on_submission(communicator, visit_programme, full_values):
    visit = services.visit_draft_save(
        actor=communicator,
        programme=visit_programme,
        values=full_values,
        contact={"name": "佐藤 花子", "title": "社長"},
    )
    visit = services.visit_submit(actor=communicator, visit=visit)
    assert visit.contact.name == "佐藤 花子"


def test_contact_details_without_a_name_are_refused(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, **full_values)
    with pytest.raises(ValidationError) as error:
        services.visit_submit(actor=communicator, visit=visit, contact={"name": "", "phone": "023-630-2211"})
    assert error.value.message_dict["contact_name"] == ["面談相手の氏名を入力してください。"]


# --- Review --------------------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(communicator, visit_programme, full_values):
    visit = _draft(communicator, visit_programme, **full_values)
    return services.visit_submit(actor=communicator, visit=visit)


def test_a_manager_accepts_a_submitted_report(manager, submitted):
    visit = services.visit_accept(actor=manager, visit=submitted)
    assert (visit.status, visit.reviewed_by) == (VisitStatus.ACCEPTED, manager)
    assert _log(visit, ChangeAction.STATUS).filter(note="承認").exists()


def test_a_returned_report_is_fixed_and_resubmitted_by_its_recorder(manager, communicator, submitted):
    with pytest.raises(ValidationError):
        services.visit_return(actor=manager, visit=submitted, comment="  ")
    visit = services.visit_return(actor=manager, visit=submitted, comment="面談概要をもう少し詳しく")
    assert visit.status == VisitStatus.RETURNED

    visit = services.visit_draft_save(actor=communicator, visit=visit, values={"summary": "詳しく書き直した概要"})
    assert _log(visit, ChangeAction.UPDATE).exists(), "edits of a returned report are logged"
    visit = services.visit_submit(actor=communicator, visit=visit)
    assert visit.status == VisitStatus.SUBMITTED
    assert _log(visit, ChangeAction.STATUS).filter(note="再提出").exists()


def test_the_recorder_cannot_edit_a_submitted_report(communicator, submitted):
    with pytest.raises(PermissionDenied):
        services.visit_draft_save(actor=communicator, visit=submitted, values={"summary": "変更"})


@pytest.mark.parametrize("role", ["communicator", "prefecture", "coordinator"])
def test_only_managers_review(role, make_user, submitted):
    with pytest.raises(PermissionDenied):
        services.visit_accept(actor=make_user(role), visit=submitted)


def test_a_manager_edits_a_submitted_report_which_must_stay_complete(manager, submitted):
    visit = services.visit_update(actor=manager, visit=submitted, values={"next_action": "来月セミナー案内"})
    assert visit.next_action == "来月セミナー案内"
    assert _log(visit, ChangeAction.UPDATE).get().changes["next_action"] == ["", "来月セミナー案内"]
    with pytest.raises(ValidationError):
        services.visit_update(actor=manager, visit=visit, values={"visit_format": None})


def test_only_drafts_are_discarded(communicator, visit_programme, submitted):
    draft = _draft(communicator, visit_programme)
    services.visit_discard(actor=communicator, visit=draft)
    assert not Visit.objects.filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        services.visit_discard(actor=communicator, visit=submitted)


# --- API records and idempotency -----------------------------------------------------------------------------------


def _record(actor, programme, values, key, fingerprint="f1"):
    return services.visit_record(
        actor=actor, programme=programme, values=values, idempotency_key=key, fingerprint=fingerprint
    )


def test_the_same_key_twice_stores_one_visit(communicator, visit_programme, full_values):
    first, created = _record(communicator, visit_programme, full_values, "key-1")
    again, created_again = _record(communicator, visit_programme, full_values, "key-1")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert first.status == VisitStatus.SUBMITTED


def test_the_same_key_with_another_body_or_user_conflicts(communicator, make_user, visit_programme, full_values):
    _record(communicator, visit_programme, full_values, "key-1")
    with pytest.raises(services.IdempotencyConflict):
        _record(communicator, visit_programme, full_values, "key-1", fingerprint="other")
    with pytest.raises(services.IdempotencyConflict):
        _record(make_user("communicator"), visit_programme, full_values, "key-1")
    assert Visit.objects.count() == 1


def test_a_racing_duplicate_meets_the_unique_key_and_replays(communicator, visit_programme, full_values):
    first, _ = _record(communicator, visit_programme, full_values, "key-race")
    real = services._visit_with_key
    # The second request looked before the first had committed: its look-up found nothing.
    with mock.patch.object(services, "_visit_with_key", side_effect=[None, real("key-race")]):
        again, created = _record(communicator, visit_programme, full_values, "key-race")

    assert (again.pk, created) == (first.pk, False)
    assert Visit.objects.count() == 1


def test_a_refused_record_does_not_use_up_its_key(communicator, visit_programme, full_values):
    with pytest.raises(ValidationError):
        _record(communicator, visit_programme, {**full_values, "visit_format": None}, "key-2")
    assert not Visit.objects.exists()
    visit, created = _record(communicator, visit_programme, full_values, "key-2")
    assert created
    assert visit.idempotency_key == "key-2"


def test_a_draft_can_be_recorded_without_a_company(communicator, visit_programme):
    visit, created = services.visit_record(
        actor=communicator, programme=visit_programme, values={"summary": "名刺だけ"}, submit=False
    )
    assert created
    assert visit.status == VisitStatus.DRAFT


def test_other_programmes_records_are_not_touched(communicator, visit_programme):
    ProgrammeFactory()
    _draft(communicator, visit_programme)
    assert Visit.objects.filter(programme=visit_programme).count() == 1


def test_two_saves_of_one_new_report_make_one_visit(communicator, visit_programme):
    started = "6a0d4c0e-1f2b-4c3d-8e9f-a0b1c2d3e4f5"
    services.visit_draft_save(actor=communicator, programme=visit_programme, uuid=started, values={"summary": "一"})
    again = services.visit_draft_save(
        actor=communicator, programme=visit_programme, uuid=started, values={"summary": "二"}
    )
    assert Visit.objects.count() == 1
    assert again.summary == "二"


def test_a_racing_create_with_the_same_uuid_becomes_an_update(communicator, visit_programme):
    started = "7b1e5d1f-2a3c-4d4e-9fa0-b1c2d3e4f5a6"
    services.visit_draft_save(actor=communicator, programme=visit_programme, uuid=started, values={})
    real = Visit.objects.select_for_update
    calls = []

    def first_lookup_misses(*args, **kwargs):
        # The other request had not committed when this one looked.
        calls.append(1)
        return Visit.objects.none() if len(calls) == 1 else real(*args, **kwargs)

    with mock.patch.object(Visit.objects, "select_for_update", side_effect=first_lookup_misses):
        visit = services.visit_draft_save(
            actor=communicator, programme=visit_programme, uuid=started, values={"summary": "後から"}
        )
    assert len(calls) >= 2, "the unique uuid was met and the save retried as an update"
    assert Visit.objects.count() == 1
    assert visit.summary == "後から"
