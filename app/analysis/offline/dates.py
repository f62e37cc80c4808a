"""French dates and times as tender documents write them, to ISO 8601 with the Europe/Paris offset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_DAY_NAMES = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
# All patterns run on folded text (lower case, no accents).
DATE_WORDS = re.compile(
    rf"(?:{_DAY_NAMES}\s*,?\s*)?\b(\d{{1,2}})\s*(?:er)?\s+("
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?\s+(\d{4})\b"
)
DATE_ISO = re.compile(r"(?<![\d/.-])(20\d\d)-(\d{2})-(\d{2})(?![\d])")
DATE_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4}|\d{2})(?![\d/])")
TIME = re.compile(
    r"(?<![\d/.,:+])([01]?\d|2[0-3])\s*(?:heures?(?:\s*([0-5]\d))?|h\s*([0-5]\d)?|:\s*([0-5]\d))(?![\d])"
    r"|\b(midi)\b(?!\s*-)"
)


@dataclass(frozen=True, slots=True)
class Found:
    value: date | time
    start: int
    end: int


def find_date(folded: str, start: int = 0, end: int | None = None) -> Found | None:
    """First plausible calendar date in folded[start:end]."""
    stop = len(folded) if end is None else end
    best: Found | None = None
    for pattern in (DATE_WORDS, DATE_NUMERIC, DATE_ISO):
        for m in pattern.finditer(folded, start, stop):
            if pattern is DATE_WORDS:
                day, month, year = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
            elif pattern is DATE_ISO:
                year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if year < 100:
                    year += 2000
            if not 2000 <= year <= 2100:
                continue
            try:
                value = date(year, month, day)
            except ValueError:
                continue
            if best is None or m.start() < best.start:
                best = Found(value, m.start(), m.end())
            break
    return best


def find_time(folded: str, start: int = 0, end: int | None = None) -> Found | None:
    stop = len(folded) if end is None else end
    for m in TIME.finditer(folded, start, stop):
        if m.group(5):
            return Found(time(12, 0), m.start(), m.end())
        minutes = m.group(2) or m.group(3) or m.group(4) or "0"
        return Found(time(int(m.group(1)), int(minutes)), m.start(), m.end())
    return None


def to_iso(day: date, at: time | None) -> str:
    """'2025-04-19T15:00:00+02:00' (offset of that date in Paris), or '2025-04-19' without a time."""
    if at is None:
        return day.isoformat()
    return datetime.combine(day, at, tzinfo=PARIS).isoformat()


def iso_of(day: Found, at: Found | None) -> str:
    """to_iso for what find_date / find_time returned."""
    assert isinstance(day.value, date)
    clock = at.value if at is not None else None
    assert clock is None or isinstance(clock, time)
    return to_iso(day.value, clock)
