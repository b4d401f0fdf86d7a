"""A small demo season with contacts, files and logs, shared by the handover and privacy tests."""

import datetime

import pytest


@pytest.fixture
def demo_data(settings, tmp_path):
    """The demo season (users, programme, manual versions, content, visits with answers) on 150 companies,
    plus what the demo lacks: contacts, an attachment file, a group with a permission, access and change log."""
    from django.contrib.auth.models import Group, Permission
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kakehashi.companies.models import Company
    from kakehashi.companies.services import contact_create
    from kakehashi.companies.tests.factories import MunicipalityFactory
    from kakehashi.demo.library import seed_library, seed_library_usage
    from kakehashi.demo.seed import seed_programmes, seed_users
    from kakehashi.demo.visits import seed_visits
    from kakehashi.outreach.models import DesignatedCompany, Visit, VisitAttachment
    from kakehashi.outreach.tests.factories import PrefectureFactory
    from kakehashi.privacy.services import access_record
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import CodeItem

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KAKEHASHI_HANDOVER_DIR = tmp_path / "handover"
    load_codes()
    PrefectureFactory(code="04", name="宮城県")
    yamagata = PrefectureFactory(code="06", name="山形県")
    towns = [MunicipalityFactory(prefecture=yamagata) for _i in range(4)]
    forms = list(CodeItem.objects.filter(list="business_form"))
    companies = Company.objects.bulk_create(
        Company(
            name=f"デモ商事{i}",
            name_key=f"デモ商事{i}",
            municipality=towns[i % len(towns)],
            business_form=forms[i % len(forms)],
        )
        for i in range(150)
    )
    today = datetime.date(2026, 7, 31)
    users = seed_users()
    programme = seed_programmes(users, today)
    DesignatedCompany.objects.bulk_create(DesignatedCompany(programme=programme, company=c) for c in companies[:15])
    seed_library(programme=programme, users=users, today=today)
    seed_visits(programme=programme, users=users, today=today)
    seed_library_usage(programme=programme, users=users, today=today)
    visit = Visit.objects.filter(programme=programme, status="accepted").order_by("pk").first()
    manager = users["manager"]
    contact = contact_create(
        actor=manager,
        company=visit.company,
        name="山田 太郎",
        title="総務課長",
        phone="023-630-2211",
        email="taro.yamada@example.jp",
    )
    Visit.objects.filter(pk=visit.pk).update(contact=contact)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    VisitAttachment.objects.create(
        visit=visit,
        file=SimpleUploadedFile("名刺.png", png, content_type="image/png"),
        original_name="名刺.png",
        content_type="image/png",
        size=len(png),
        uploaded_by=visit.recorded_by,
    )
    group = Group.objects.create(name="監査")
    group.permissions.add(Permission.objects.get(codename="view_user"))
    users["pref"].groups.add(group)
    access_record(actor=users["pref"], action="contact_view", target=contact, detail={"company_id": contact.company_id})
    return {"programme": programme, "users": users, "today": today, "visit": visit, "contact": contact}
