"""The English catalogue is complete, compiled, and chosen by the language switch."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as {"msgctxt", "msgid", "msgid_plural", "msgstr": {index: text}, "flags"}; no header."""
    entries, entry, key = [], None, None

    def new() -> dict:
        return {"msgctxt": "", "msgid": "", "msgid_plural": "", "msgstr": {}, "flags": set()}

    def finish():
        if entry is not None and entry["msgid"]:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            finish()
            entry, key = new(), None
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            continue
        elif line.startswith("msgctxt "):
            if entry is None or key is not None:
                finish()
                entry = new()
            key = "msgctxt"
            entry["msgctxt"] = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            if entry is None or key not in (None, "msgctxt"):
                finish()
                entry = new()
            key = "msgid"
            entry["msgid"] = ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            entry["msgid_plural"] = ast.literal_eval(line[13:])
        elif line.startswith("msgstr"):
            head, _, value = line.partition(" ")
            key = int(head[7:-1]) if head.startswith("msgstr[") else 0
            entry["msgstr"][key] = ast.literal_eval(value)
        elif line.startswith('"'):
            if isinstance(key, int):
                entry["msgstr"][key] += ast.literal_eval(line)
            else:
                entry[key] += ast.literal_eval(line)
    finish()
    return entries


@pytest.fixture(scope="module")
def entries():
    return parse_po(CATALOGUE / "django.po")


def test_catalogue_has_entries(entries):
    assert len(entries) > 500
    assert any(e["msgid"] == "企業等" for e in entries)


def test_no_fuzzy_or_empty_translations(entries):
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    assert fuzzy == []
    assert empty == []


def test_plural_entries_have_both_forms(entries):
    plurals = [e for e in entries if e["msgid_plural"]]
    assert plurals
    for e in plurals:
        assert set(e["msgstr"]) == {0, 1}, e["msgid"]


def test_compiled_catalogue_matches_the_po(entries):
    """The committed .mo is what Django reads; a stale one would show outdated English."""
    with (CATALOGUE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries:
        if e["msgid_plural"]:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0], e["msgid"]
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr"][1], e["msgid"]
        elif e["msgctxt"]:
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]


@pytest.mark.django_db
def test_home_is_japanese_by_default(client_for):
    body = client_for("manager").get("/").content.decode()
    assert "企業等" in body
    assert "Companies" not in body


@pytest.mark.django_db
def test_language_cookie_shows_english_navigation(client_for):
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    for label in ("Companies", "Visit records", "Progress", "Sign out"):
        assert label in body
    assert "企業等" not in body


@pytest.mark.django_db
def test_set_language_switches_to_english(client_for):
    client = client_for("manager")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Companies" in body
    assert "Today’s visits" in body


@pytest.mark.django_db
def test_an_english_browser_still_gets_japanese_until_the_user_switches(client_for):
    client = client_for("manager")
    body = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="ja"' in body
    assert "企業等" in body
