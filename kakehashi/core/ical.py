"""iCalendar (RFC 5545) text helpers shared by the plan feed and event tickets.

Written by hand (no package needed): text values are escaped, content lines are folded at 75 octets
without splitting a character, and lines end with CRLF.
"""

import datetime
from collections.abc import Iterable


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), continuing with a space, never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" " + encoded
        else:
            current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def utc_stamp(value: datetime.datetime) -> str:
    """A DATE-TIME in UTC form (…Z)."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(lines: Iterable[str]) -> str:
    """The folded, CRLF-terminated text of a VCALENDAR given its unfolded content lines."""
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
