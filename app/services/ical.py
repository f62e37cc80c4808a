"""Every deadline, questions date and site visit as an iCalendar file (RFC 5545) for calendar apps.

Times are Paris local times (`TZID=Europe/Paris`, with its VTIMEZONE); each event has a stable UID
(the consultation and the kind of date: importing the file again updates instead of duplicating),
a DTSTAMP, escaped text and lines folded at 75 octets, CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.domain.fsutil import atomic_write_bytes
from app.domain.labels import status_label
from app.services.tracking import PARIS, DeadlineEvent, EventKind, deadline_events
from local_store.store import Store

PRODID = "-//Maître AO//Échéances des consultations//FR"

# Europe/Paris since 1996: CET/CEST, change on the last Sunday of March and of October.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "X-LIC-LOCATION:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

_DURATION = {
    EventKind.DEADLINE: timedelta(minutes=30),
    EventKind.QUESTIONS: timedelta(minutes=30),
    EventKind.SITE_VISIT: timedelta(hours=1),
}


def escape_text(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets folded (CRLF + space), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _local(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")


def _event_lines(event: DeadlineEvent, stamp: str) -> list[str]:
    summary = f"{event.label} — {event.title}"
    details = [f"Consultation : {event.title}"]
    if event.buyer:
        details.append(f"Acheteur : {event.buyer}")
    if event.reference:
        details.append(f"Référence : {event.reference}")
    details.append(f"Statut : {status_label(event.status)}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.consultation_uuid}-{event.kind.value}@maitre-ao",
        f"DTSTAMP:{stamp}",
    ]
    if isinstance(event.when, datetime):
        lines.append(f"DTSTART;TZID=Europe/Paris:{_local(event.when)}")
        lines.append(f"DTEND;TZID=Europe/Paris:{_local(event.when + _DURATION[event.kind])}")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{event.when:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{event.when + timedelta(days=1):%Y%m%d}")
    lines += [
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        "TRANSP:TRANSPARENT" if event.kind is not EventKind.SITE_VISIT else "TRANSP:OPAQUE",
    ]
    if event.kind is EventKind.DEADLINE and not event.past:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(summary)}",
            "TRIGGER:-P2D",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def to_ical(events: Iterable[DeadlineEvent], *, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Maître AO — échéances",
        "X-WR-TIMEZONE:Europe/Paris",
        *VTIMEZONE,
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def write_calendar(store: Store, path: Path, *, now: datetime | None = None) -> list[DeadlineEvent]:
    """Write every date of every consultation to `path` (.ics). Returns the events written."""
    events = deadline_events(store, now=now)
    atomic_write_bytes(path, to_ical(events, now=now).encode("utf-8"), mode=0o644)
    return events
