"""Erasure of a person from event registrations (see `kakehashi/privacy/erasure.py`).

A registration is the person's when its e-mail matches theirs, or its name matches theirs and it is linked to
the same company. The row stays — attendance counts and check-in figures must not change — but it keeps no
name, title, e-mail or free-text answer that names the person.
"""

from django.db.models import Q

from kakehashi.companies.normalise import person_name_key
from kakehashi.privacy.choices import ERASED_TEXT
from kakehashi.privacy.erasure import ErasureSubject, scrub_value

from .models import Registration, SurveyResponse
from .services import email_key


def erase_event_registrations(subject: ErasureSubject, *, actor) -> dict[str, int]:
    if subject.kind != "contact":
        return {}
    contact = subject.instance
    match = Q(pk__in=[])
    if email := email_key(contact.email):
        match |= Q(email_key=email)
    if (name := person_name_key(contact.name)) and contact.company_id:
        match |= Q(name_key=name, company_id=contact.company_id)
    registrations = list(Registration.objects.filter(match))
    for registration in registrations:
        registration.name, registration.name_key = ERASED_TEXT, ""
        registration.role_title = registration.email = registration.email_key = ""
        registration.answers = scrub_value(registration.answers, subject.terms)
        registration.save(update_fields=["name", "name_key", "role_title", "email", "email_key", "answers"])
    responses = 0
    for response in SurveyResponse.objects.filter(registration__in=registrations):
        answers = scrub_value(response.answers, subject.terms)
        if answers != response.answers:
            SurveyResponse.objects.filter(pk=response.pk).update(answers=answers)
            responses += 1
    return {"registration": len(registrations), "survey": responses}
