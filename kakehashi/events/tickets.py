"""Tickets: signed personal links, the QR code, the calendar file and the emails that carry them.

A registrant has no account. Their personal pages (ticket, cancel, survey, table) are reached by a signed token
of the registration's uuid (`django.core.signing`, one salt per purpose), so a link cannot be guessed or turned
into another purpose's link. The QR code holds only the short ticket code, which staff may also type.
"""

import io

import segno
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kakehashi.core.ical import calendar_text, escape, utc_stamp

TICKET_SALT = "kakehashi.events.ticket"
SURVEY_SALT = "kakehashi.events.survey"


def make_token(registration, *, salt: str = TICKET_SALT) -> str:
    return signing.Signer(salt=salt).sign(registration.uuid.hex)


def read_token(token: str, *, salt: str = TICKET_SALT) -> str | None:
    """The registration uuid (hex) a token was made for, or None when it was tampered with."""
    try:
        return signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None


def absolute(path: str, base_url: str = "") -> str:
    """`path` on the public origin: the setting, else the origin of the request that caused the mail."""
    base = getattr(settings, "KAKEHASHI_PUBLIC_BASE_URL", "") or base_url or "http://localhost:8000"
    return base.rstrip("/") + path


def ticket_url(registration, base_url: str = "") -> str:
    return absolute(reverse("events:ticket", kwargs={"token": make_token(registration)}), base_url)


def cancel_url(registration, base_url: str = "") -> str:
    return absolute(reverse("events:cancel", kwargs={"token": make_token(registration)}), base_url)


def survey_url(registration, base_url: str = "") -> str:
    return absolute(reverse("events:survey", kwargs={"token": make_token(registration, salt=SURVEY_SALT)}), base_url)


def qr_svg(code: str) -> str:
    """The ticket code as an inline SVG QR code (no XML declaration, scales with CSS)."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, omitsize=True)
    return buffer.getvalue().decode("utf-8")


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def event_ics(event, registration=None, base_url: str = "") -> str:
    """An iCalendar file with the event; with a registration, its ticket link (and online URL) in the notes."""
    location = "、".join(x for x in (event.venue_name, event.venue_address) if x) or (
        "オンライン" if not event.has_venue else ""
    )
    notes = [event.theme, event.description]
    url = absolute(event.get_absolute_url(), base_url)
    if registration is not None:
        notes.append(f"チケット: {ticket_url(registration, base_url)}")
        if event.online_url:
            notes.append(f"オンライン参加URL: {event.online_url}")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kakehashi//Events//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uuid}@kakehashi",
        f"DTSTAMP:{utc_stamp(timezone.now())}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape(event.title)}",
        f"LOCATION:{escape(location)}",
        f"DESCRIPTION:{escape(chr(10).join(n for n in notes if n))}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return calendar_text(lines)


def _send(registration, *, subject: str, template: str, base_url: str = "", attach_ticket: bool = False) -> None:
    if not registration.email:
        return
    context = {
        "registration": registration,
        "event": registration.event,
        "ticket_url": ticket_url(registration, base_url),
        "cancel_url": cancel_url(registration, base_url),
        "survey_url": survey_url(registration, base_url),
        "event_url": absolute(registration.event.get_absolute_url(), base_url),
        "site_name": settings.KAKEHASHI_SITE_NAME,
    }
    body = render_to_string(f"events/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[registration.email])
    if attach_ticket:
        context["qr_svg"] = qr_svg(registration.ticket_code)
        message.attach_alternative(render_to_string("events/email/ticket.html", context), "text/html")
        message.attach("ticket-qr.png", qr_png(registration.ticket_code), "image/png")
        message.attach(
            "event.ics", event_ics(registration.event, registration, base_url), "text/calendar; charset=utf-8"
        )
    message.send()


def send_confirmation(registration, base_url: str = "") -> None:
    waitlisted = registration.status == "waitlisted"
    subject = ("【キャンセル待ち】" if waitlisted else "【申込受付】") + registration.event.title
    _send(registration, subject=subject, template="confirmation", base_url=base_url, attach_ticket=not waitlisted)


def send_promotion(registration, base_url: str = "") -> None:
    _send(
        registration, subject="【参加確定】" + registration.event.title, template="promoted", base_url=base_url,
        attach_ticket=True,
    )  # fmt: skip


def send_cancellation(registration, base_url: str = "") -> None:
    _send(
        registration, subject="【キャンセル受付】" + registration.event.title, template="cancelled", base_url=base_url
    )


def send_survey(registration, base_url: str = "") -> None:
    _send(
        registration, subject="【アンケートのお願い】" + registration.event.title, template="survey", base_url=base_url
    )
