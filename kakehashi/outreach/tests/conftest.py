"""Fixtures for the visit-report tests: code lists, a programme whose period covers today, people, companies."""

import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def codes(db):
    """The default code lists, and `codes("challenge", "security")` to fetch one item."""
    from kakehashi.reference.loaders import load_codes
    from kakehashi.reference.models import CodeItem

    load_codes()

    def _code(list_name: str, code: str) -> CodeItem:
        return CodeItem.objects.get(list=list_name, code=code)

    return _code


@pytest.fixture
def visit_programme(programme):
    """The `programme` fixture with its period moved to cover today, so submissions dated today are valid."""
    today = timezone.localdate()
    programme.start_date = today - datetime.timedelta(days=200)
    programme.end_date = today + datetime.timedelta(days=160)
    programme.save()
    return programme


@pytest.fixture
def municipality(db):
    from kakehashi.companies.tests.factories import MunicipalityFactory

    return MunicipalityFactory(code="062014", name="山形市")


@pytest.fixture
def other_municipality(db):
    from kakehashi.companies.tests.factories import MunicipalityFactory

    return MunicipalityFactory(code="062022", name="米沢市")


@pytest.fixture
def company(db, municipality, codes):
    from kakehashi.companies.tests.factories import CompanyFactory

    return CompanyFactory(
        name="株式会社蔵王精密",
        name_kana="ザオウセイミツ",
        municipality=municipality,
        employees_band=codes("employees", "21_50"),
    )


@pytest.fixture
def communicator(make_user, visit_programme):
    return make_user("communicator")


@pytest.fixture
def manager(make_user, visit_programme):
    return make_user("manager")


@pytest.fixture
def full_values(codes, company):
    """Model-ready values for a complete visit at `company` today."""
    return {
        "company": company,
        "visit_date": timezone.localdate(),
        "visit_format": codes("visit_format", "visit"),
        "challenges": [codes("challenge", "security"), codes("challenge", "production")],
        "summary": "在庫管理を紙で行っており、受発注の入力が二重になっている。",
        "outcomes": [codes("outcome", "mail_magazine")],
        "interest_level": codes("interest_level", "high"),
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are created per test (several per permission case); PBKDF2 would make these tests minutes slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded attachments go to a per-test directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
