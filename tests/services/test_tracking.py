"""Status follows the work; counts, timeline and calendar for the dashboard (issue 16)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.domain.labels import ConsultationStatus
from app.services import tracking
from app.services.ical import fold, to_ical, write_calendar
from local_store import repo_consultations as repo_c
from local_store.store import Store

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=tracking.PARIS)


def _consultation(store: Store, title: str, **fields: str | None) -> str:
    with store.transaction() as tx:
        uuid = repo_c.create(tx, title=title, source_name=f"{title}.zip")
        repo_c.update_metadata(tx, uuid, **fields)
    return uuid


def test_status_set_by_the_user_from_its_label(store: Store) -> None:
    uuid = _consultation(store, "Gymnase")
    assert tracking.change_status(store, uuid, "Déposée") is ConsultationStatus.DEPOSEE
    assert repo_c.get(store, uuid).status == "deposee"  # type: ignore[union-attr]
    tracking.change_status(store, uuid, "gagnée")
    assert tracking.status_counts(store)[ConsultationStatus.GAGNEE] == 1
    with pytest.raises(InvalidInput):
        tracking.change_status(store, uuid, "envoyée")


def test_status_stays_a_analyser_after_an_export_is_fixed(store: Store) -> None:
    uuid = _consultation(store, "Gymnase")
    assert tracking.mark_exported(store, uuid)
    assert repo_c.get(store, uuid).status == "en_cours"  # type: ignore[union-attr]
    tracking.change_status(store, uuid, "Déposée")
    assert not tracking.mark_exported(store, uuid)  # a later export does not move it back
    assert repo_c.get(store, uuid).status == "deposee"  # type: ignore[union-attr]


def test_export_service_moves_the_consultation_to_en_cours(store: Store, tmp_path: Path) -> None:
    from app.services import consultations, proposals
    from app.services import profile as profile_service
    from tests.conftest import EXAMPLE_DIR

    uuid = consultations.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1).consultation_uuid
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    assert repo_c.get(store, uuid).status == "a_analyser"  # type: ignore[union-attr]
    proposals.export_consultation(store, uuid, tmp_path / "out")
    assert repo_c.get(store, uuid).status == "en_cours"  # type: ignore[union-attr]
    assert tracking.status_counts(store) == {
        ConsultationStatus.A_ANALYSER: 0,
        ConsultationStatus.EN_COURS: 1,
        ConsultationStatus.DEPOSEE: 0,
        ConsultationStatus.GAGNEE: 0,
        ConsultationStatus.PERDUE: 0,
    }


def test_timeline_empty_for_deadlines_beyond_8_weeks_is_fixed(store: Store) -> None:
    # Three consultations whose deadlines are all further than 8 weeks, and one past last week.
    for i, day in enumerate(("2027-03-15", "2027-04-02", "2027-05-20"), start=1):
        _consultation(store, f"C{i}", deadline=f"{day}T12:00:00+01:00")
    _consultation(
        store,
        "Passée",
        deadline="2026-12-01T12:00:00+01:00",
        questions_deadline="2026-11-20T12:00:00+01:00",
        site_visit_date="2026-11-15",
    )
    window = tracking.timeline(store, now=NOW)
    titles = [e.title for e in window.events if e.kind is tracking.EventKind.DEADLINE]
    assert titles == ["Passée", "C1", "C2", "C3"]
    assert window.start == date(2026, 12, 1) and window.end >= date(2027, 5, 20)
    past = [e for e in window.events if e.past]
    assert [e.title for e in past] == ["Passée"]  # shown greyed; the older questions date is outside
    events = tracking.deadline_events(store, now=NOW)
    assert len(events) == 6 and [e.past for e in events][:3] == [True, True, True]


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    return text.replace("\r\n ", "").split("\r\n")


def test_calendar_file_parses_back(store: Store, tmp_path: Path) -> None:
    uuid = _consultation(
        store,
        "Réhabilitation; gymnase, tranche 2 — un titre assez long pour être plié sur plusieurs lignes",
        buyer="Communauté de communes\\Val de Brenne",
        reference="2026-TRV-014",
        deadline="2027-07-16T12:00:00+02:00",
        questions_deadline="2027-01-09T10:00:00Z",
        site_visit_date="2027-06-29",
    )
    path = tmp_path / "echeances.ics"
    events = write_calendar(store, path, now=NOW)
    assert len(events) == 3
    raw = path.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = _unfold(raw.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/Paris" in lines
    # Nesting is balanced.
    stack: list[str] = []
    for line in lines[:-1]:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert not stack
    vevents = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
    assert len(vevents) == 3
    props: list[dict[str, str]] = []
    for start in vevents:
        end = lines.index("END:VEVENT", start)
        block = [line for line in lines[start + 1 : end] if ":" in line]
        values: dict[str, str] = {}
        for line in block:
            name, value = line.split(":", 1)
            values.setdefault(name, value)  # the event's own, not its alarm's
        props.append(values)
    uids = {p["UID"] for p in props}
    assert uids == {f"{uuid}-{k}@maitre-ao" for k in ("deadline", "questions", "site_visit")}
    assert all(re.fullmatch(r"\d{8}T\d{6}Z", p["DTSTAMP"]) for p in props)
    by_uid = {p["UID"]: p for p in props}
    deadline = by_uid[f"{uuid}-deadline@maitre-ao"]
    assert deadline["DTSTART;TZID=Europe/Paris"] == "20270716T120000"
    questions = by_uid[f"{uuid}-questions@maitre-ao"]
    assert questions["DTSTART;TZID=Europe/Paris"] == "20270109T110000"  # 10:00 UTC is 11:00 in Paris (winter)
    visit = by_uid[f"{uuid}-site_visit@maitre-ao"]
    assert visit["DTSTART;VALUE=DATE"] == "20270629" and visit["DTEND;VALUE=DATE"] == "20270630"
    assert deadline["SUMMARY"].startswith(
        "Date limite de remise des offres — Réhabilitation\\; gymnase\\, tranche"
    )
    assert "Communauté de communes\\\\Val de Brenne\\nRéférence : 2026-TRV-014" in deadline["DESCRIPTION"]


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    parts = folded.encode("utf-8").split(b"\r\n ")
    assert all(len(p) <= 75 for p in parts)
    assert b"".join(parts).decode("utf-8") == line
    assert to_ical([], now=datetime(2026, 1, 1, tzinfo=UTC)).endswith("END:VCALENDAR\r\n")
