"""An iCalendar (RFC 5545) feed of one communicator's approved-plan visits, written by hand.

Times carry TZID=Asia/Tokyo with a VTIMEZONE (Japan has no daylight saving time), lines are folded
at 75 octets, text is escaped (backslash, semicolon, comma, newline). No personal information of the
company's contacts goes in: the company name, municipality, order and travel only.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from kakehashi.core.ical import calendar_text, escape, utc_stamp

PRODID = "-//Kakehashi//Visit plan//JA"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Tokyo",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:JST",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _local(day: datetime.date, value: datetime.time) -> str:
    return f"{day:%Y%m%d}T{value:%H%M%S}"


def calendar(visits: Iterable, *, name: str, host: str) -> str:
    """The VCALENDAR text for `visits` (PlanVisit rows with company and municipality)."""
    stamp = utc_stamp(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    lines.append(f"X-WR-CALNAME:{escape(name)}")
    lines.append("X-WR-TIMEZONE:Asia/Tokyo")
    lines.extend(VTIMEZONE)
    for visit in visits:
        if visit.day is None or visit.start_time is None:
            continue
        end = visit.end_time or visit.start_time
        place = visit.company.municipality.name if visit.company.municipality_id else ""
        description = f"{visit.order}件目・移動 {visit.travel_minutes}分（{visit.travel_km:.1f}km）"
        if visit.designated:
            description += "・指定訪問先"
        lines += [
            "BEGIN:VEVENT",
            f"UID:planvisit-{visit.plan_id}-{visit.company_id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Asia/Tokyo:{_local(visit.day, visit.start_time)}",
            f"DTEND;TZID=Asia/Tokyo:{_local(visit.day, end)}",
            f"SUMMARY:{escape('訪問: ' + visit.company.name)}",
            f"LOCATION:{escape(visit.company.address or place)}",
            f"DESCRIPTION:{escape(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return calendar_text(lines)
