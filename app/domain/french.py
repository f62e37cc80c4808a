"""French dates for the user and the Paris time zone, declared once.

Tender deadlines are Paris local times; the UI, the fiche, the go/no-go and the exports all write
dates the way a French reader expects ("mercredi 15 juillet 2026", "15/07/2026 à 12h00").
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def parse_when(value: str | None) -> datetime | date | None:
    """An ISO date or date-time (None when absent or not a date)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def long_date(day: date) -> str:
    """'mercredi 15 juillet 2026'."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """'15/07/2026'."""
    return f"{day:%d/%m/%Y}"


def hour_h(moment: datetime) -> str:
    """'12h00', as tender documents write the time."""
    return f"{moment.hour}h{moment.minute:02d}"


def short_datetime(moment: datetime) -> str:
    """'15/07/2026 à 12h00'."""
    return f"{short_date(moment.date())} à {moment:%Hh%M}"
