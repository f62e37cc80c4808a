"""Status that follows the work, and the deadlines of every consultation (dashboard, calendar).

- an export moves a consultation still *À analyser* to *En cours* (`mark_exported`);
- the user sets *Déposée*, *Gagnée*, *Perdue* (`change_status`, labels or codes accepted);
- `status_counts` and `timeline` give the dashboard its counts and a window that fits the nearest
  deadlines (past ones flagged), `deadline_events` feeds the calendar export.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.domain.errors import InvalidInput
from app.domain.labels import CONSULTATION_STATUS_LABELS, ConsultationStatus, parse_status
from local_store import repo_consultations as repo_c
from local_store.repo_consultations import ConsultationRow
from local_store.store import Store

log = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")


class EventKind(StrEnum):
    DEADLINE = "deadline"
    QUESTIONS = "questions"
    SITE_VISIT = "site_visit"


EVENT_KIND_LABELS: dict[EventKind, str] = {
    EventKind.DEADLINE: "Date limite de remise des offres",
    EventKind.QUESTIONS: "Date limite des questions",
    EventKind.SITE_VISIT: "Visite de site",
}


@dataclass(frozen=True, slots=True)
class DeadlineEvent:
    consultation_uuid: str
    title: str
    buyer: str | None
    reference: str | None
    status: ConsultationStatus
    kind: EventKind
    when: datetime | date  # Paris local time when the DCE gives a time, else the day
    past: bool

    @property
    def day(self) -> date:
        return self.when.date() if isinstance(self.when, datetime) else self.when

    @property
    def label(self) -> str:
        return EVENT_KIND_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class Timeline:
    start: date
    end: date
    events: list[DeadlineEvent]  # the events inside [start, end], soonest first


# --- status ----------------------------------------------------------------------------------------
def _get(store: Store, uuid: str) -> ConsultationRow:
    row = repo_c.get(store, uuid)
    if row is None:
        raise InvalidInput(f"Consultation introuvable : {uuid}.", field="CONSULTATION")
    return row


def change_status(store: Store, uuid: str, status: ConsultationStatus | str) -> ConsultationStatus:
    """Set the status from its code or its French label ('Déposée', 'deposee', 'gagnée'…)."""
    try:
        new = parse_status(str(status))
    except ValueError:
        allowed = ", ".join(CONSULTATION_STATUS_LABELS.values())
        raise InvalidInput(f"Statut inconnu : « {status} » (attendu : {allowed}).", field="STATUT") from None
    _get(store, uuid)
    with store.transaction() as tx:
        repo_c.update_metadata(tx, uuid, status=new.value)
    log.info("consultation status set to %s", new.value)
    return new


def mark_exported(store: Store, uuid: str) -> bool:
    """After an export: a consultation still *À analyser* is now *En cours*. True when it moved."""
    row = repo_c.get(store, uuid)
    if row is None or row.status != ConsultationStatus.A_ANALYSER:
        return False
    with store.transaction() as tx:
        repo_c.update_metadata(tx, uuid, status=ConsultationStatus.EN_COURS.value)
    return True


def status_counts(store: Store) -> dict[ConsultationStatus, int]:
    """How many consultations are in each status (every status present, zeros included)."""
    counts = dict.fromkeys(ConsultationStatus, 0)
    for row in repo_c.list_all(store):
        try:
            counts[ConsultationStatus(row.status)] += 1
        except ValueError:
            log.warning("consultation with an unknown status")
    return counts


# --- deadlines -------------------------------------------------------------------------------------
def parse_moment(value: str | None) -> datetime | date | None:
    """An ISO date-time (as Paris local time) or date; None for absent or relative values ('J-10')."""
    if not value:
        return None
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                return moment.replace(tzinfo=PARIS)
            return moment.astimezone(PARIS)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _is_past(when: datetime | date, now: datetime) -> bool:
    if isinstance(when, datetime):
        return when < now
    return when < now.astimezone(PARIS).date()


def events_of(row: ConsultationRow, now: datetime) -> list[DeadlineEvent]:
    found: list[DeadlineEvent] = []
    try:
        status = ConsultationStatus(row.status)
    except ValueError:
        status = ConsultationStatus.A_ANALYSER
    for kind, value in (
        (EventKind.DEADLINE, row.deadline),
        (EventKind.QUESTIONS, row.questions_deadline),
        (EventKind.SITE_VISIT, row.site_visit_date),
    ):
        when = parse_moment(value)
        if when is None:
            continue
        found.append(
            DeadlineEvent(
                row.uuid, row.title, row.buyer, row.reference, status, kind, when, _is_past(when, now)
            )
        )
    return found


def _sort_key(event: DeadlineEvent) -> datetime:
    when = event.when
    return when if isinstance(when, datetime) else datetime.combine(when, time(0, 0), tzinfo=PARIS)


def deadline_events(store: Store, *, now: datetime | None = None) -> list[DeadlineEvent]:
    """Every deadline, questions date and site visit of every consultation, soonest first."""
    now = now or datetime.now(PARIS)
    events = [e for row in repo_c.list_all(store) for e in events_of(row, now)]
    return sorted(events, key=_sort_key)


def timeline_window(
    events: list[DeadlineEvent],
    today: date,
    *,
    min_weeks: int = 8,
    nearest: int = 3,
    past_days: int = 14,
) -> Timeline:
    """A window that holds the `nearest` next deadlines (however far) and at least `min_weeks`,
    starting a little before today when recent deadlines are past (shown greyed)."""
    upcoming = [e for e in events if not e.past]
    recent_past = [e for e in events if e.past and e.day >= today - timedelta(days=past_days)]
    start = min((e.day for e in recent_past), default=today)
    end = today + timedelta(weeks=min_weeks)
    deadlines = [e for e in upcoming if e.kind is EventKind.DEADLINE] or upcoming
    if deadlines:
        far = deadlines[min(nearest, len(deadlines)) - 1].day + timedelta(days=7)
        end = max(end, far)
    inside = [e for e in events if start <= e.day <= end]
    return Timeline(start, end, inside)


def timeline(store: Store, *, now: datetime | None = None, **options: int) -> Timeline:
    now = now or datetime.now(PARIS)
    return timeline_window(deadline_events(store, now=now), now.astimezone(PARIS).date(), **options)
