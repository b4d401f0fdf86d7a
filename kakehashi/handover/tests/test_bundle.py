"""The handover bundle round trip is exact: counts, a hash per table over canonical rows, every relation, files."""

import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection

from kakehashi.handover.bundle import BundleError, bundled_models, load_bundle, write_bundle

pytestmark = pytest.mark.django_db(transaction=True)


def _manifest(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _tables(manifest) -> dict[str, tuple[int, str]]:
    return {t["model"]: (t["rows"], t["sha256"]) for t in manifest["tables"]}


def _wipe():
    """An empty instance with the same schema: what `migrate` on a new server gives (content types re-created)."""
    call_command("flush", interactive=False, verbosity=0)


def test_round_trip_is_lossless(demo_data, tmp_path, settings):
    from django.core.files.storage import default_storage

    from kakehashi.companies.models import Contact
    from kakehashi.core.models import ChangeLogEntry
    from kakehashi.outreach.models import HearingAnswer, HearingManualVersion, Visit, VisitAttachment

    first = tmp_path / "first.zip"
    summary = write_bundle(first)
    before = _manifest(first)
    tables = _tables(before)
    # Everything the issue lists is there, with rows.
    for label in [
        "reference.codeitem",
        "companies.company",
        "companies.contact",
        "outreach.programme",
        "outreach.visit",
        "outreach.visit_challenges",
        "outreach.hearingmanualversion",
        "outreach.hearinganswer",
        "outreach.contentitem",
        "outreach.visitattachment",
        "core.changelogentry",
        "privacy.accesslogentry",
        "accounts.user",
        "accounts.user_groups",
        "auth.group_permissions",
    ]:
        assert tables[label][0] > 0, label
    assert summary.files >= 1
    assert not summary.missing_files
    attachment = VisitAttachment.objects.get()
    original_bytes = attachment.file.read()
    counts = {m._meta.label_lower: m._base_manager.count() for m in bundled_models()}
    visit_pk = demo_data["visit"].pk
    answers = sorted(HearingAnswer.objects.values_list("pk", "visit_id", "version_id", "question_key"))
    frozen = sorted(HearingManualVersion.objects.values_list("pk", "definition"), key=lambda r: r[0])
    ct_of_contact_entry = ChangeLogEntry.objects.filter(object_id=str(demo_data["contact"].pk)).first().content_type

    _wipe()
    default_storage.delete(attachment.file.name)
    assert not Visit.objects.exists()
    load_bundle(first)

    assert {m._meta.label_lower: m._base_manager.count() for m in bundled_models()} == counts
    second = tmp_path / "second.zip"
    write_bundle(second)
    assert _tables(_manifest(second)) == tables, "every table's canonical rows hash the same after the round trip"
    # Relations and frozen answers, checked directly as well.
    assert sorted(HearingAnswer.objects.values_list("pk", "visit_id", "version_id", "question_key")) == answers
    assert sorted(HearingManualVersion.objects.values_list("pk", "definition"), key=lambda r: r[0]) == frozen
    assert Visit.objects.get(pk=visit_pk).contact == Contact.objects.get(name="山田 太郎")
    entry = ChangeLogEntry.objects.filter(object_id=str(demo_data["contact"].pk)).first()
    assert (entry.content_type.app_label, entry.content_type.model) == (
        ct_of_contact_entry.app_label,
        ct_of_contact_entry.model,
    )
    assert VisitAttachment.objects.get().file.read() == original_bytes
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
    # New rows get fresh keys after the carried ones (sequences reset on PostgreSQL).
    from kakehashi.companies.models import Company

    newest = Company.objects.order_by("-pk").first().pk
    assert Company.objects.create(name="新規", name_key="新規").pk > newest
    # The carried search text still finds visits (SQLite FTS rebuilt).
    from kakehashi.outreach.search import search_visits

    word = Visit.objects.exclude(search_text="").first().search_text.split()[0][:6]
    assert search_visits(Visit.objects.all(), word).exists()


def test_import_refuses_a_non_empty_database(demo_data, tmp_path):
    path = tmp_path / "b.zip"
    write_bundle(path)
    with pytest.raises(BundleError, match="空ではありません"):
        load_bundle(path)


def test_import_refuses_a_damaged_or_foreign_archive(demo_data, tmp_path):
    path = tmp_path / "b.zip"
    write_bundle(path)
    _wipe()
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "data/companies.contact.jsonl":
                data = data.replace("山田".encode(), "佐藤".encode())
            target.writestr(item, data)
    with pytest.raises(BundleError, match="チェックサム"):
        load_bundle(damaged)
    wrong = tmp_path / "wrong.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(wrong, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_version"] = 99
                data = json.dumps(manifest).encode()
            target.writestr(item, data)
    with pytest.raises(BundleError, match="形式の版"):
        load_bundle(wrong)
    from kakehashi.outreach.models import Visit

    assert not Visit.objects.exists(), "nothing was written"


def test_archive_is_documented(demo_data, tmp_path):
    path = tmp_path / "b.zip"
    call_command("export_bundle", str(path), "--reason", "引継ぎ試験", verbosity=0)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        readme = archive.read("README.md").decode()
    manifest = _manifest(path)
    assert {"manifest.json", "README.md", "data/outreach.visit.jsonl"} <= names
    assert manifest["format"] == "kakehashi-bundle"
    assert manifest["schema_version"] == 1
    assert "outreach" in manifest["migrations"]
    assert "取り込み" in readme
    assert "Loading" in readme
    order = [t["model"] for t in manifest["tables"]]
    assert order.index("companies.company") < order.index("companies.contact") < order.index("privacy.erasurerequest")
    assert order.index("outreach.visit") < order.index("outreach.hearinganswer")
    from kakehashi.privacy.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(action="bundle_export", reason="引継ぎ試験").exists()
