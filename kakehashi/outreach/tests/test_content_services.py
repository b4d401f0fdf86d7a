"""Writes of the content library (outreach/services/content.py): files checked by content, change log, permission."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.services import content as services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _values(codes, **extra):
    return {
        "title": "クラウド会計導入事例集",
        "kind": "interest",
        "description": "説明",
        "challenges": [codes("challenge", "accounting_finance")],
        "introduction": codes("introduction", "subsidies"),
        "audience": "small",
        "version": "第1版",
        "url": "",
        "active": True,
        **extra,
    }


def test_create_with_a_pdf_records_its_name_type_and_size(programme, codes):
    item = services.content_create(
        actor=None, programme=programme, values=_values(codes), upload=SimpleUploadedFile("事例.pdf", PDF)
    )
    assert (item.file_name, item.file_type, item.file_size) == ("事例.pdf", "application/pdf", len(PDF))
    assert list(item.challenges.values_list("code", flat=True)) == ["accounting_finance"]
    entry = ChangeLogEntry.objects.get(object_id=str(item.pk), action="create")
    assert entry.changes["challenges"] == [None, ["accounting_finance"]]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf", "PDF と画像"),
        ("empty.pdf", b"", "空のファイル"),
    ],
)
def test_files_are_checked_by_content_not_by_name(programme, codes, name, data, message):
    with pytest.raises(ValidationError) as error:
        services.content_create(
            actor=None, programme=programme, values=_values(codes), upload=SimpleUploadedFile(name, data)
        )
    assert message in " ".join(error.value.messages)


def test_too_large_files_are_refused(programme, codes, monkeypatch):
    monkeypatch.setattr(services, "MAX_CONTENT_BYTES", 10)
    with pytest.raises(ValidationError):
        services.content_create(
            actor=None, programme=programme, values=_values(codes), upload=SimpleUploadedFile("a.png", PNG)
        )


def test_codes_must_come_from_the_right_lists(programme, codes):
    with pytest.raises(ValidationError):
        services.content_create(
            actor=None, programme=programme, values=_values(codes, challenges=[codes("barrier", "budget")])
        )
    with pytest.raises(ValidationError):
        services.content_create(
            actor=None, programme=programme, values=_values(codes, introduction=codes("outcome", "mail_magazine"))
        )


def test_update_replaces_the_file_and_deletes_the_old_one_after_commit(
    programme, codes, django_capture_on_commit_callbacks
):
    item = services.content_create(
        actor=None, programme=programme, values=_values(codes), upload=SimpleUploadedFile("v1.pdf", PDF)
    )
    storage, old_name = item.file.storage, item.file.name
    with django_capture_on_commit_callbacks(execute=False) as pending:
        item = services.content_update(
            actor=None, item=item, values={"version": "第2版"}, upload=SimpleUploadedFile("v2.png", PNG)
        )
    assert storage.exists(old_name)  # kept until the new state is committed
    for callback in pending:
        callback()
    assert item.file_type == "image/png"
    assert item.version == "第2版"
    assert not storage.exists(old_name)
    assert storage.exists(item.file.name)
    current = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        item = services.content_update(actor=None, item=item, values={}, remove_file=True)
    assert not item.file
    assert item.file_size is None
    assert not storage.exists(current)
    entry = ChangeLogEntry.objects.filter(object_id=str(item.pk), action="update").first()
    assert entry.changes["file_name"] == ["v2.png", ""]


def test_retiring_an_item_is_an_update(programme, codes):
    item = services.content_create(actor=None, programme=programme, values=_values(codes))
    services.content_update(actor=None, item=item, values={"active": False})
    item.refresh_from_db()
    assert item.active is False
    assert ChangeLogEntry.objects.get(object_id=str(item.pk), action="update").changes["active"] == [True, False]


def test_only_editors_may_write(programme, codes, make_user):
    with pytest.raises(PermissionDenied):
        services.content_create(actor=make_user("communicator"), programme=programme, values=_values(codes))
    item = services.content_create(actor=make_user("manager"), programme=programme, values=_values(codes))
    with pytest.raises(PermissionDenied):
        services.content_update(actor=make_user("coordinator"), item=item, values={"title": "変更"})
