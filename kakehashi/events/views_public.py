"""Public event pages (no account): list, detail, registration, ticket, calendar file, cancel, survey, my table.

Personal pages are reached by a signed token (see tickets.py); a bad token answers 404 like a missing page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kakehashi.core.forms import add_service_errors
from kakehashi.core.pagination import paginate
from kakehashi.core.ratelimit import client_address, count_hit

from . import selectors, services, tickets
from .choices import QuestionnairePurpose, RegistrationStatus
from .forms import RegistrationForm
from .questions import answers_form_class


def _rate_limited(request) -> bool:
    """True when this address has registered too often in the last hour (counted in the cache)."""
    hits = count_hit(f"events:register:{client_address(request)}", window=60 * 60)
    return hits > settings.KAKEHASHI_EVENT_REGISTRATIONS_PER_HOUR


def _event_or_404(uuid):
    event = selectors.public_event(uuid)
    if event is None:
        raise Http404
    return event


def _registration_or_404(token: str, *, salt: str = tickets.TICKET_SALT):
    registration = selectors.registration_by_uuid(tickets.read_token(token, salt=salt))
    if registration is None:
        raise Http404
    return registration


@require_GET
def public_list(request):
    past = request.GET.get("past") == "1"
    page = paginate(request, selectors.public_events(upcoming=not past), per_page=20)
    return render(request, "events/public_list.html", {"page": page, "past": past})


@require_GET
def public_detail(request, uuid):
    event = _event_or_404(uuid)
    counts = selectors.attendance_counts(event)
    full = event.capacity is not None and counts["registered"] >= event.capacity
    return render(request, "events/public_detail.html", {"event": event, "counts": counts, "full": full})


@require_http_methods(["GET", "POST"])
def register(request, uuid):
    event = _event_or_404(uuid)
    version = services.current_version(event, QuestionnairePurpose.REGISTRATION)
    form = RegistrationForm(request.POST or None, questions=version.questions if version else [])
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A bot filled the hidden field: answer as if it worked, store nothing.
            return render(request, "events/register_done.html", {"event": event, "registration": None})
        if _rate_limited(request):
            form.add_error(None, _("短時間に多くのお申し込みがありました。しばらくしてからお試しください。"))
        else:
            data = form.cleaned_data
            try:
                registration = services.registration_create(
                    event=event,
                    name=data["name"],
                    organisation=data["organisation"],
                    is_it_company=data["is_it_company"],
                    role_title=data["role_title"],
                    email=data["email"],
                    consent=data["consent"],
                    answers=form.answers(),
                    base_url=request.build_absolute_uri("/"),
                )
            except services.DuplicateRegistration as error:
                form.add_error(None, " ".join(error.messages))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("events:ticket", token=tickets.make_token(registration))
    return render(request, "events/register.html", {"event": event, "form": form})


@require_GET
def ticket(request, token: str):
    registration = _registration_or_404(token)
    event = registration.event
    registered = registration.status == RegistrationStatus.REGISTERED
    context = {
        "registration": registration,
        "event": event,
        "token": token,
        "qr": tickets.qr_svg(registration.ticket_code) if registered else "",
        "show_online_url": registered and bool(event.online_url),
        "seat": _current_seat(registration),
    }
    return render(request, "events/ticket.html", context)


@require_GET
def ticket_ics(request, token: str):
    registration = _registration_or_404(token)
    body = tickets.event_ics(registration.event, registration, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    registration = _registration_or_404(token)
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        try:
            services.registration_cancel(registration=registration, base_url=request.build_absolute_uri("/"))
        except ValidationError as error:
            return render(
                request, "events/cancel.html", {"registration": registration, "error": " ".join(error.messages)}
            )
        registration.refresh_from_db()
    return render(request, "events/cancel.html", {"registration": registration, "token": token})


@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    registration = _registration_or_404(token, salt=tickets.SURVEY_SALT)
    event = registration.event
    version = services.current_version(event, QuestionnairePurpose.SURVEY)
    answered = hasattr(registration, "survey_response")
    if version is None or not registration.checked_in:
        raise Http404
    form = answers_form_class(version.questions)(request.POST or None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.survey_answer(registration=registration, answers=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            answered = True
    context = {"event": event, "form": form, "answered": answered, "registration": registration}
    return render(request, "events/survey.html", context)


def _current_seat(registration):
    """(round, table) pairs of this attendee in the event's current plan."""
    run = selectors.current_run(registration.event)
    if run is None:
        return None
    seats = list(run.seats.filter(registration=registration).order_by("round").values_list("round", "table"))
    return {"run": run, "seats": seats} if seats else None


@require_GET
def my_table(request, token: str):
    """The phone page telling an attendee where to sit, round by round (HTMX refreshes it)."""
    registration = _registration_or_404(token)
    context = {"registration": registration, "event": registration.event, "seat": _current_seat(registration)}
    if getattr(request, "htmx", False):
        return render(request, "events/my_table.html#seats", context)
    return render(request, "events/my_table.html", context)
