import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def codes(db):
    from kakehashi.reference.loaders import load_codes

    load_codes()


@pytest.fixture
def live_programme(programme):
    """The `programme` fixture with its period around today, so hearings dated today may be submitted."""
    today = timezone.localdate()
    programme.start_date = today - datetime.timedelta(days=200)
    programme.end_date = today + datetime.timedelta(days=160)
    programme.save()
    return programme


@pytest.fixture
def manager(make_user, live_programme):
    return make_user("manager")


@pytest.fixture
def event(manager, live_programme):
    from kakehashi.events import services

    start = timezone.now() + datetime.timedelta(days=3)
    event = services.event_create(
        actor=manager,
        programme=live_programme,
        values={
            "title": "はじめてのDXセミナー",
            "kind": "seminar",
            "format": "hybrid",
            "venue_name": "山形県産業創造支援センター",
            "venue_address": "山形県山形市松栄1-3-8",
            "online_url": "https://meet.example.jp/abc",
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "capacity": 2,
        },
    )
    return services.event_publish(actor=manager, event=event)


@pytest.fixture
def register(event):
    from kakehashi.events import services

    def _register(name="山田 花子", organisation="株式会社山形精密", email="hanako@example.jp", it=False, **kw):
        return services.registration_create(
            event=kw.pop("event", event),
            name=name,
            organisation=organisation,
            is_it_company=it,
            email=email,
            consent=True,
            **kw,
        )

    return _register
