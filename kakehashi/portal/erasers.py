"""Erasure of a person from consultation requests and the mail-magazine list (see `kakehashi/privacy/erasure.py`).

A consultation request is the person's when its e-mail matches theirs, or its name matches theirs and it is
linked to the same company: it stays (the office's request counts) without name, e-mail, telephone, and with
the person's values removed from the message and the staff note. A subscriber with their e-mail is deleted.
"""

from django.db.models import Q

from kakehashi.privacy.choices import ERASED_TEXT
from kakehashi.privacy.erasure import ErasureSubject, same_person_name, scrub_text

from .models import ConsultationRequest, Subscriber


def erase_consultation_requests(subject: ErasureSubject, *, actor) -> dict[str, int]:
    if subject.kind != "contact":
        return {}
    contact = subject.instance
    email = contact.email.strip().lower()
    by_email = Q(email__iexact=email) if email else Q(pk__in=[])
    same_company = Q(company_id=contact.company_id) if contact.company_id else Q(pk__in=[])
    changed = 0
    for request in ConsultationRequest.objects.filter(by_email | same_company):
        mine = (email and request.email.strip().lower() == email) or same_person_name(request.person_name, contact.name)
        if not mine:
            continue
        ConsultationRequest.objects.filter(pk=request.pk).update(
            person_name=ERASED_TEXT,
            email="",
            phone="",
            message=scrub_text(request.message, subject.terms),
            staff_note=scrub_text(request.staff_note, subject.terms),
        )
        changed += 1
    return {"consultation": changed}


def erase_subscriber(subject: ErasureSubject, *, actor) -> dict[str, int]:
    if subject.kind != "contact" or not subject.instance.email.strip():
        return {}
    deleted, _detail = Subscriber.objects.filter(email__iexact=subject.instance.email.strip()).delete()
    return {"subscriber": deleted}
