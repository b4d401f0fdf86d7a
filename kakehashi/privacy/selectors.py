"""Reads of the privacy app, narrowed by who asks."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from kakehashi.companies.models import Contact
from kakehashi.companies.rules import may_view_contacts
from kakehashi.companies.selectors import companies_for

from .models import AccessLogEntry, ErasureRequest
from .rules import may_handle_erasure


def access_log_for(user, *, filters: dict | None = None) -> QuerySet[AccessLogEntry]:
    """The access log for those allowed to audit it, filtered by user, action and date range."""
    if not user.has_perm("privacy.view_access_log"):
        return AccessLogEntry.objects.none()
    entries = AccessLogEntry.objects.select_related("actor", "content_type")
    filters = filters or {}
    if who := (filters.get("user") or "").strip():
        entries = entries.filter(
            Q(actor__username__icontains=who) | Q(actor__display_name__icontains=who) | Q(actor__last_name=who)
        )
    if action := filters.get("action"):
        entries = entries.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from := filters.get("date_from"):
        entries = entries.filter(occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz))
    if date_to := filters.get("date_to"):
        start_next = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tz)
        entries = entries.filter(occurred_at__lt=start_next)
    return entries


def erasure_requests_for(user) -> QuerySet[ErasureRequest]:
    if not may_handle_erasure(user):
        return ErasureRequest.objects.none()
    requests = ErasureRequest.objects.select_related("contact__company", "registered_by", "reviewed_by", "executed_by")
    if user.is_superuser:
        return requests
    # Requests about contacts of companies in the user's scope (the contact row stays, anonymised, after erasure).
    return requests.filter(contact__company__in=companies_for(user))


def erasable_contacts_for(user, *, query: str = "") -> QuerySet[Contact]:
    """Contacts the user may name in a deletion request: those they may see, in their scope."""
    if not may_handle_erasure(user) or not may_view_contacts(user):
        return Contact.objects.none()
    contacts = Contact.objects.filter(company__in=companies_for(user)).select_related("company")
    query = query.strip()
    if query:
        contacts = contacts.filter(
            Q(name__icontains=query)
            | Q(name_kana__icontains=query)
            | Q(email__icontains=query)
            | Q(phone__icontains=query)
            | Q(company__name__icontains=query)
        )
    return contacts
