import pytest
from django.core.exceptions import ValidationError

from kakehashi.companies import services
from kakehashi.companies.choices import CompanyStatus
from kakehashi.companies.corporate_number import make_corporate_number
from kakehashi.companies.matching import company_search
from kakehashi.companies.models import Company, Contact
from kakehashi.companies.tests.factories import CodeItemFactory, CompanyFactory, ContactFactory, MunicipalityFactory
from kakehashi.core.changelog import history_for
from kakehashi.core.choices import ChangeAction
from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.models import DesignatedCompany
from kakehashi.outreach.services import designation_add
from kakehashi.outreach.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(make_user):
    return make_user("manager")


@pytest.fixture
def pair():
    city = MunicipalityFactory(code="062014", name="山形市")
    survivor = CompanyFactory(name="株式会社山形精機", name_kana="", municipality=city, website="")
    merged = CompanyFactory(
        name="(株)山形精機",
        name_kana="ヤマガタセイキ",
        municipality=city,
        website="https://example.jp/",
        postal_code="9908570",
        corporate_number=make_corporate_number("000012050002"),
        business_form=CodeItemFactory(list="business_form", code="manufacturing_own", label_ja="製造(自社製品)"),
        sources=["nta"],
    )
    return survivor, merged


def test_merge_moves_contacts_and_marks_the_merged_record(actor, pair):
    survivor, merged = pair
    ContactFactory(company=survivor, name="佐藤")
    moved = ContactFactory(company=merged, name="鈴木")

    result = services.company_merge(actor=actor, survivor=survivor, merged=merged)

    assert result.pk == survivor.pk
    assert set(Contact.objects.filter(company=survivor).values_list("name", flat=True)) == {"佐藤", "鈴木"}
    moved.refresh_from_db()
    assert moved.company_id == survivor.pk
    merged.refresh_from_db()
    assert merged.status == CompanyStatus.MERGED
    assert merged.merged_into_id == survivor.pk
    assert Company.objects.filter(pk=merged.pk).exists(), "the merged record is kept"


def test_merge_fills_blank_attributes_and_takes_over_the_corporate_number(actor, pair):
    survivor, merged = pair
    number = merged.corporate_number

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.name == "株式会社山形精機", "the survivor keeps its own name"
    assert survivor.name_kana == "ヤマガタセイキ"
    assert survivor.website == "https://example.jp/"
    assert survivor.postal_code == "9908570"
    assert survivor.business_form.code == "manufacturing_own"
    assert survivor.corporate_number == number
    assert merged.corporate_number is None
    assert survivor.sources == ["manual", "nta"]


def test_merge_keeps_the_survivors_own_values(actor, pair):
    survivor, merged = pair
    survivor.website = "https://survivor.example.jp/"
    survivor.save()

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    survivor.refresh_from_db()
    assert survivor.website == "https://survivor.example.jp/"


def test_merge_moves_designations_and_drops_the_duplicate_one(actor, pair, programme):
    survivor, merged = pair
    other = ProgrammeFactory(code="miyagi-2026")
    designation_add(actor=actor, programme=programme, company=survivor)
    designation_add(actor=actor, programme=programme, company=merged)  # same programme: a duplicate
    designation_add(actor=actor, programme=other, company=merged)

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    assert set(DesignatedCompany.objects.filter(company=survivor).values_list("programme__code", flat=True)) == {
        programme.code,
        other.code,
    }
    assert not DesignatedCompany.objects.filter(company=merged).exists()


def test_merge_repoints_records_that_named_the_merged_company(actor, pair):
    survivor, merged = pair
    predecessor = CompanyFactory(name="旧山形精機", status=CompanyStatus.CLOSED, successor=merged)
    earlier = CompanyFactory(name="山形精機（旧表記）", status=CompanyStatus.MERGED, merged_into=merged)

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    predecessor.refresh_from_db()
    earlier.refresh_from_db()
    assert predecessor.successor_id == survivor.pk
    assert earlier.merged_into_id == survivor.pk


def test_merge_writes_the_change_log_on_both_records(actor, pair):
    survivor, merged = pair
    ContactFactory(company=merged)

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    survivor_entry = history_for(survivor).first()
    merged_entry = history_for(merged).first()
    assert survivor_entry.action == ChangeAction.MERGE
    assert f"ID {merged.pk}" in survivor_entry.note
    assert "担当者 1件を移動" in survivor_entry.note
    assert "website" in survivor_entry.changes
    assert merged_entry.action == ChangeAction.MERGE
    assert merged_entry.changes["status"] == ["active", "merged"]
    assert merged_entry.actor == actor


def test_merged_record_leaves_the_search_index(actor, pair):
    survivor, _merged = pair
    merged_only = CompanyFactory(name="重複商店", municipality=survivor.municipality)
    keeper = CompanyFactory(name="本家商店", municipality=survivor.municipality)
    assert company_search("重複", queryset=Company.objects.all()).filter(pk=merged_only.pk).exists()

    services.company_merge(actor=actor, survivor=keeper, merged=merged_only)

    assert not company_search("重複", queryset=Company.objects.all()).filter(pk=merged_only.pk).exists()


def test_merging_a_record_into_itself_is_refused(actor, pair):
    survivor, _merged = pair
    with pytest.raises(ValidationError):
        services.company_merge(actor=actor, survivor=survivor, merged=survivor)


@pytest.mark.parametrize("already_merged", ["survivor", "merged"])
def test_merging_with_an_already_merged_record_is_refused(actor, pair, already_merged):
    survivor, merged = pair
    third = CompanyFactory()
    services.company_merge(actor=actor, survivor=third, merged=survivor if already_merged == "survivor" else merged)
    survivor.refresh_from_db()
    merged.refresh_from_db()

    with pytest.raises(ValidationError):
        services.company_merge(actor=actor, survivor=survivor, merged=merged)


def test_records_with_different_corporate_numbers_are_not_merged(actor, pair):
    survivor, merged = pair
    survivor.corporate_number = make_corporate_number("000012050003")
    survivor.save()

    with pytest.raises(ValidationError, match="法人番号"):
        services.company_merge(actor=actor, survivor=survivor, merged=merged)
    merged.refresh_from_db()
    assert merged.status == CompanyStatus.ACTIVE


def test_a_failing_merge_changes_nothing(actor, pair, monkeypatch):
    survivor, merged = pair
    contact = ContactFactory(company=merged)

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "fill_blanks", boom)
    with pytest.raises(RuntimeError):
        services.company_merge(actor=actor, survivor=survivor, merged=merged)

    contact.refresh_from_db()
    merged.refresh_from_db()
    assert contact.company_id == merged.pk
    assert merged.status == CompanyStatus.ACTIVE
    assert merged.corporate_number is not None


def test_contact_update_logs_changes_without_copying_private_values(actor):
    contact = ContactFactory(phone="023-111-1111", title="課長")

    services.contact_update(actor=actor, contact=contact, title="部長", phone="023-222-2222")

    contact.refresh_from_db()
    assert (contact.title, contact.phone) == ("部長", "023-222-2222")
    entry = history_for(contact).first()
    assert entry.changes["title"] == ["課長", "部長"]
    assert "電話番号" in entry.note
    assert "023-222-2222" not in str(entry.changes) + entry.note


def test_contact_update_validates(actor):
    contact = ContactFactory()
    with pytest.raises(ValidationError):
        services.contact_update(actor=actor, contact=contact, email="not-an-address")


def test_contact_delete_removes_the_contact_and_logs_it(actor):
    contact = ContactFactory(name="高橋")
    pk = contact.pk

    services.contact_delete(actor=actor, contact=contact)

    assert not Contact.objects.filter(pk=pk).exists()
    entry = ChangeLogEntry.objects.filter(object_id=str(pk), action=ChangeAction.DELETE).get()
    assert entry.changes["name"] == ["高橋", None]
    assert "phone" not in entry.changes


def test_no_record_points_at_the_merged_company_afterwards(actor, pair, programme):
    """Walks every relation to Company, so a model added later (visits, plans, …) is checked as well."""
    from kakehashi.companies.merge import DERIVED_MODELS

    survivor, merged = pair
    ContactFactory(company=merged)
    designation_add(actor=actor, programme=programme, company=merged)
    CompanyFactory(successor=merged, status=CompanyStatus.CLOSED)

    services.company_merge(actor=actor, survivor=survivor, merged=merged)

    for relation in Company._meta.related_objects:
        model = relation.through if relation.many_to_many else relation.related_model
        if model._meta.label_lower in DERIVED_MODELS or relation.many_to_many:
            continue
        leftovers = model._default_manager.filter(**{relation.field.name: merged})
        if model is Company:
            leftovers = leftovers.exclude(pk=merged.pk)
        assert not leftovers.exists(), f"{model._meta.label} still points at the merged record"
