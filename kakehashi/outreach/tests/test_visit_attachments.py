"""Attachments: type by content (not name), size and count limits, served only through the permission check."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kakehashi.core.choices import ChangeAction
from kakehashi.core.models import ChangeLogEntry
from kakehashi.outreach.models import VisitAttachment
from kakehashi.outreach.services import visits as services

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
HEIF_GENERIC = b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf" + b"\x00" * 100
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 100


@pytest.fixture
def draft(communicator, visit_programme):
    return services.visit_draft_save(actor=communicator, programme=visit_programme, values={})


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (PDF, "application/pdf"),
        (HEIC, "image/heic"),
        (HEIF_GENERIC, "image/heic"),
        (AVIF, None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_types_are_recognised_by_content(content, expected):
    assert services.sniff_content_type(content[:64]) == expected


def test_a_photo_is_attached_and_logged(communicator, draft):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("名刺.jpg", JPEG))
    assert (attachment.content_type, attachment.original_name, attachment.size) == ("image/jpeg", "名刺.jpg", len(JPEG))
    entry = ChangeLogEntry.objects.get(action=ChangeAction.CREATE, content_type__model="visitattachment")
    assert entry.changes["original_name"] == [None, "名刺.jpg"]


def test_a_renamed_executable_is_refused_whatever_its_name_says(communicator, draft):
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=communicator, visit=draft, upload=_upload("photo.jpg", b"MZ\x90\x00" * 50, "image/jpeg")
        )
    assert error.value.message_dict["file"] == ["添付できるのは写真（JPEG・PNG・HEIC）と PDF だけです。"]


def test_the_type_stored_is_the_sniffed_one_not_the_claimed_one(communicator, draft):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("scan.jpg", PDF, "image/jpeg"))
    assert attachment.content_type == "application/pdf"


def test_files_over_10_mb_are_refused(communicator, draft):
    big = _upload("big.pdf", PDF + b"0" * (services.MAX_ATTACHMENT_BYTES - len(PDF) + 1))
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=communicator, visit=draft, upload=big)
    assert "10MB" in error.value.message_dict["file"][0]
    exactly = _upload("ok.pdf", PDF + b"0" * (services.MAX_ATTACHMENT_BYTES - len(PDF)))
    assert (
        services.attachment_add(actor=communicator, visit=draft, upload=exactly).size == services.MAX_ATTACHMENT_BYTES
    )


def test_at_most_ten_per_visit(communicator, draft):
    for n in range(services.MAX_ATTACHMENTS_PER_VISIT):
        services.attachment_add(actor=communicator, visit=draft, upload=_upload(f"{n}.png", PNG))
    with pytest.raises(ValidationError):
        services.attachment_add(actor=communicator, visit=draft, upload=_upload("11.png", PNG))
    assert VisitAttachment.objects.count() == services.MAX_ATTACHMENTS_PER_VISIT


def test_only_those_who_may_change_the_visit_attach(make_user, draft):
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=make_user("communicator"), visit=draft, upload=_upload("a.png", PNG))


def test_path_parts_and_control_characters_are_dropped_from_names(communicator, draft):
    attachment = services.attachment_add(
        actor=communicator, visit=draft, upload=_upload("..\\..\\etc\\pass\x00wd.pdf", PDF)
    )
    assert attachment.original_name == "passwd.pdf"


# --- Views ---------------------------------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_upload_through_the_form_starts_the_draft_if_needed(communicator, visit_programme):
    visit_uuid = uuid.uuid4()
    url = reverse("outreach:visit_attachment_upload", kwargs={"uuid": visit_uuid})
    response = _client(communicator).post(url, {"file": _upload("現場.png", PNG)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "現場.png" in response.content.decode()
    assert VisitAttachment.objects.get().visit.uuid == visit_uuid


def test_a_refused_upload_says_why(communicator, draft):
    url = reverse("outreach:visit_attachment_upload", kwargs={"uuid": draft.uuid})
    response = _client(communicator).post(
        url, {"file": _upload("x.gif", b"GIF89a" + b"0" * 20)}, HTTP_HX_REQUEST="true"
    )
    assert "写真（JPEG・PNG・HEIC）と PDF だけです" in response.content.decode()


def test_download_is_permission_checked(communicator, manager, make_user, draft, visit_programme):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("名刺.png", PNG))
    url = reverse("outreach:visit_attachment", kwargs={"uuid": draft.uuid, "pk": attachment.pk})

    response = _client(communicator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PNG

    assert _client(manager).get(url).status_code == 200
    assert _client(make_user("communicator")).get(url).status_code == 404, "another communicator's draft"
    assert _client(make_user("coordinator")).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_pdfs_are_downloaded_not_shown_inline(communicator, draft):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("資料.pdf", PDF))
    url = reverse("outreach:visit_attachment", kwargs={"uuid": draft.uuid, "pk": attachment.pk})
    assert _client(communicator).get(url)["Content-Disposition"].startswith("attachment")


def test_an_attachment_of_another_visit_is_not_found_under_this_one(communicator, visit_programme, draft):
    other = services.visit_draft_save(actor=communicator, programme=visit_programme, values={})
    attachment = services.attachment_add(actor=communicator, visit=other, upload=_upload("a.png", PNG))
    url = reverse("outreach:visit_attachment", kwargs={"uuid": draft.uuid, "pk": attachment.pk})
    assert _client(communicator).get(url).status_code == 404


def test_media_urls_are_not_served(communicator, draft):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("a.png", PNG))
    assert Client().get("/media/" + attachment.file.name).status_code == 404
    assert _client(communicator).get("/media/" + attachment.file.name).status_code == 404


def test_deleting_an_attachment(communicator, draft):
    attachment = services.attachment_add(actor=communicator, visit=draft, upload=_upload("a.png", PNG))
    url = reverse("outreach:visit_attachment_delete", kwargs={"uuid": draft.uuid, "pk": attachment.pk})
    assert _client(communicator).post(url).status_code == 302
    assert not VisitAttachment.objects.exists()
