"""French dates and times → ISO 8601 with the Paris offset of that date."""

from __future__ import annotations

import pytest

from app.analysis.offline.dates import find_date, find_time, iso_of
from app.analysis.offline.text import fold, words_to_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MERCREDI 15 JUILLET 2026 A 12:00", "2026-07-15T12:00:00+02:00"),
        ("Date : 19 avril 2025 ........ Heure : 15h00", "2025-04-19T15:00:00+02:00"),
        ("Vendredi 17 juillet 2026 – 17h00", "2026-07-17T17:00:00+02:00"),
        ("le 03/02/2026 à 12 heures", "2026-02-03T12:00:00+01:00"),  # winter: +01:00
        ("lundi 1er décembre 2025 à midi", "2025-12-01T12:00:00+01:00"),
        ("le 28.10.2026 avant 16 h 30", "2026-10-28T16:30:00+01:00"),  # day after the clock change
        ("le 24 octobre 2026 à 9h", "2026-10-24T09:00:00+02:00"),
    ],
)
def test_date_and_time_to_paris_iso(text: str, expected: str) -> None:
    folded = fold(text)
    day = find_date(folded)
    assert day is not None
    at = find_time(folded, day.end)
    assert iso_of(day, at) == expected


def test_date_without_time_stays_a_date() -> None:
    day = find_date(fold("au plus tard le 5 mars 2026"))
    assert day is not None
    assert iso_of(day, None) == "2026-03-05"


@pytest.mark.parametrize(
    "text", ["le 31/02/2026", "article 12.3.4", "version 2.1 du 12/13/2025", "R. 2124-2"]
)
def test_impossible_or_non_dates_are_ignored(text: str) -> None:
    assert find_date(fold(text)) is None


def test_time_does_not_read_a_utc_offset() -> None:
    assert find_time(fold("(GMT+01:00) Paris")) is None


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("quatre", 4),
        ("cent vingt", 120),
        ("quatre-vingt-dix", 90),
        ("cent quatre-vingts", 180),
        ("six", 6),
        ("mois", None),
    ],
)
def test_number_words(words: str, value: int | None) -> None:
    assert words_to_int(words) == value


def test_fold_keeps_length_for_quotes() -> None:
    text = "Critères d’attribution – ÉLÉMENTS «x» œuvre"
    assert len(fold(text)) == len(text)
    assert fold(text).startswith("criteres d'attribution - elements")
