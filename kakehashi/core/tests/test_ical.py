import datetime

from hypothesis import given
from hypothesis import strategies as st

from kakehashi.core.ical import calendar_text, escape, fold, utc_stamp


def test_escape_text_values():
    assert escape("山形;米沢,天童\\\n2行目") == "山形\\;米沢\\,天童\\\\\\n2行目"


@given(st.text(min_size=0, max_size=300))
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_original(text):
    line = "SUMMARY:" + text.replace("\r", "").replace("\n", "")
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_calendar_text_ends_every_line_with_crlf_and_stamps_utc():
    jst = datetime.timezone(datetime.timedelta(hours=9))
    assert utc_stamp(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=jst)) == "20260401T000000Z"
    assert calendar_text(["BEGIN:VCALENDAR", "END:VCALENDAR"]) == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
