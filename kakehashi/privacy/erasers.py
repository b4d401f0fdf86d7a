"""Erasers for the apps that held personal information before the registry existed (companies, outreach, core).

Later apps (events, community, portal) register their own in their `AppConfig.ready()`; see `erasure.py`.
"""

from kakehashi.privacy.choices import ERASED_TEXT

from .erasure import ErasureSubject, register_eraser, scrub_text, scrub_value

CONTACT_PII_FIELDS = ("name_kana", "department", "title", "phone", "email", "note")
VISIT_TEXT_FIELDS = ("summary", "next_action", "review_comment", "companions_note")


def erase_contact(subject: ErasureSubject, *, actor) -> dict[str, int]:
    """The contact row stays (visits keep pointing at it, counts stay) but holds no personal value."""
    from kakehashi.companies.models import Contact

    if subject.kind != "contact":
        return {}
    contact = Contact.objects.get(pk=subject.instance.pk)
    contact.name = ERASED_TEXT
    for name in CONTACT_PII_FIELDS:
        setattr(contact, name, "")
    contact.save(update_fields=["name", *CONTACT_PII_FIELDS, "updated_at"])
    subject.instance.__dict__.update({f: getattr(contact, f) for f in ("name", *CONTACT_PII_FIELDS)})
    return {"contact": 1}


def erase_visit_text(subject: ErasureSubject, *, actor) -> dict[str, int]:
    """Free text of the company's visits (and hearing answers) that names the person."""
    from kakehashi.outreach.models import HearingAnswer, Visit
    from kakehashi.outreach.search import visit_search_refresh

    if not subject.terms:
        return {}
    visits = Visit.objects.filter(company_id=subject.company_id) if subject.company_id else Visit.objects.none()
    if subject.kind == "contact":
        visits = visits | Visit.objects.filter(contact_id=subject.instance.pk)
    changed_visits = 0
    touched_ids = set()
    for visit in visits.distinct().iterator():
        updates = []
        for name in VISIT_TEXT_FIELDS:
            old = getattr(visit, name)
            new = scrub_text(old, subject.terms)
            if new != old:
                setattr(visit, name, new)
                updates.append(name)
        if visit.draft_data:
            draft = scrub_value(visit.draft_data, subject.terms)
            if draft != visit.draft_data:
                visit.draft_data = draft
                updates.append("draft_data")
        if updates:
            visit.save(update_fields=updates)
            changed_visits += 1
            touched_ids.add(visit.pk)
    changed_answers = 0
    for answer in HearingAnswer.objects.filter(visit__in=visits.distinct().values("pk")).iterator():
        text, value = scrub_text(answer.text, subject.terms), scrub_value(answer.value, subject.terms)
        if (text, value) != (answer.text, answer.value):
            answer.text, answer.value = text, value
            answer.save(update_fields=["text", "value"])
            changed_answers += 1
            touched_ids.add(answer.visit_id)
    for visit in Visit.objects.filter(pk__in=touched_ids):
        visit_search_refresh(visit)
    return {"visit": changed_visits, "answer": changed_answers}


def erase_change_log(subject: ErasureSubject, *, actor) -> dict[str, int]:
    """Earlier change-log entries must not keep the values either: scrub `changes`, `object_repr` and `note`."""
    from kakehashi.core.models import ChangeLogEntry

    if not subject.terms:
        return {}
    changed = 0
    entries = ChangeLogEntry.objects.only("pk", "changes", "object_repr", "note").order_by("pk")
    for entry in entries.iterator(chunk_size=2000):
        changes = scrub_value(entry.changes, subject.terms)
        object_repr = scrub_text(entry.object_repr, subject.terms)[:200]
        note = scrub_text(entry.note, subject.terms)[:300]
        if (changes, object_repr, note) != (entry.changes, entry.object_repr, entry.note):
            ChangeLogEntry.objects.filter(pk=entry.pk).update(changes=changes, object_repr=object_repr, note=note)
            changed += 1
    return {"": changed}


register_eraser("companies.contact", erase_contact, order=10)
register_eraser("outreach.visit", erase_visit_text, order=20)
register_eraser("core.changelog", erase_change_log, order=1000)
