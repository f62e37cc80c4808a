"""Dashboard (issue 16): "go/no-go flags only the K-bis as expiring while the export warns about four
documents" — the Go/No-Go tab and the export's warnings now list the same documents, same dates."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.domain.profile import CompanyProfile
from tests.ui.helpers import EXAMPLE_PROFILE, EXAMPLE_ZIP, drop_files
from ui.context import AppContext
from ui.main_window import MainWindow

FRENCH_DATE = r"(\d{2}/\d{2}/\d{4})"


def _profile(today: date) -> CompanyProfile:
    """The example company with documents expiring at various dates (some before the deadline, one
    within a few days, some valid long after it)."""
    data = json.loads(EXAMPLE_PROFILE.read_text(encoding="utf-8"))
    later = today + timedelta(days=3 * 365)  # after the example's deadline: never listed
    expiries = {
        "kbis": today + timedelta(days=20),
        "attestation_urssaf": today + timedelta(days=5),
        "attestation_fiscale": later,
        "attestation_assurance": today + timedelta(days=60),
    }
    for doc in data["documents_administratifs"]:
        if doc["kind"] in expiries:
            doc["expires_on"] = expiries[doc["kind"]].isoformat()
    data["assurances"][0]["valid_until"] = later.isoformat()  # RC pro: fine
    data["assurances"][1]["valid_until"] = (today + timedelta(days=45)).isoformat()  # décennale
    for n, cert in enumerate(data["certifications"]):
        cert["valid_to"] = (today + timedelta(days=10) if n == 1 else later).isoformat()
    return CompanyProfile.model_validate(data)


def _fr(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def test_go_no_go_and_export_list_the_same_expiring_documents_with_their_dates(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    today = date.today()
    profile = _profile(today)
    ctx.runner.call(ctx.backend.create_store)
    ctx.runner.call(lambda: ctx.backend.save_profile(profile))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.consultation_view
    with qtbot.waitSignal(view.loaded, timeout=90000):
        drop_files(window, [EXAMPLE_ZIP])
    table = view.gonogo.table
    qtbot.waitUntil(lambda: table.rowCount() > 3, timeout=30000)
    ctx.runner.wait_idle(30)

    # On screen: every row of the Go/No-Go that speaks of an expiry, with its document and date.
    on_screen: set[tuple[str, str]] = set()
    for r in range(table.rowCount()):
        label, detail = table.item(r, 0).text(), table.item(r, 2).text()
        found = re.search(r"expire (?:le |bientôt \(le )" + FRENCH_DATE, detail)
        if found:
            on_screen.add((label.removeprefix("Validité : "), found.group(1)))

    assert window.last_import is not None
    uuid = window.last_import.consultation_uuid
    _files, warnings = ctx.runner.call(lambda: ctx.backend.export(uuid, tmp_path / "export"))
    exported: set[tuple[str, str]] = set()
    for w in warnings:
        found = re.match(r"(.+?) : expire (?:le |bientôt \(le )" + FRENCH_DATE, w)
        if found:
            exported.add((found.group(1), found.group(2)))

    expected = {
        ("Extrait K-bis", _fr(today + timedelta(days=20))),
        ("Attestation de vigilance URSSAF", _fr(today + timedelta(days=5))),
        ("Attestations d'assurance RC et décennale 2026", _fr(today + timedelta(days=60))),
        ("Assurance décennale (SMABTP)", _fr(today + timedelta(days=45))),
        (f"Certification {profile.certifications[1].name}", _fr(today + timedelta(days=10))),
    }
    assert on_screen == expected
    assert exported == expected
    ctx.runner.wait_idle(30)
