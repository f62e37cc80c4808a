"""`maitre-ao demo`, `draft` and `export` run as a user would, files reopened."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from app.domain.analysis import Analysis
from app.services import consultations, proposals
from app.services import profile as profile_service
from local_store.store import Store
from tests.conftest import EXAMPLE_DIR, run_cli
from tests.export.helpers import all_text, headings, open_docx


def test_demo_writes_every_file(tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = tmp_path / "demo"
    forms = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "forms").resolve()
    args = ["demo", "--out", str(out)]
    expected = {
        "analysis.json",
        "fiche.txt",
        "memoire.docx",
        "dc1.docx",
        "dc2.docx",
        "matrice.xlsx",
        "checklist.docx",
    }
    if (forms / "DC2.docx").is_file():  # the official blank form, when this clone has the corpus
        args += ["--form", str(forms / "DC2.docx")]
        expected.add("dc2_formulaire.docx")
    code, stdout, stderr = run_cli(args, cli_env)
    assert code == 0, stderr
    assert {p.name for p in out.iterdir()} == expected
    analysis = Analysis.from_contract(json.loads((out / "analysis.json").read_text(encoding="utf-8")))
    assert analysis.reference == "2026-TRV-014"
    assert "2026-TRV-014" in (out / "fiche.txt").read_text(encoding="utf-8")
    # The example DCE has a cadre de réponse: the mémoire follows its questions, in order.
    memoire = open_docx(out / "memoire.docx")
    titles = [t for level, t in headings(memoire) if level == 1]
    assert titles[:3] == [
        "1. Méthodologie et organisation du chantier (25 %)",
        "2. Moyens humains et matériels affectés à l'opération (20 %)",
        "3. Démarche environnementale et gestion des déchets (15 %)",
    ]
    dc2 = all_text(open_docx(out / "dc2.docx"))
    assert "81247563000016" in dc2 and "5 840 000 €" in dc2
    ws = openpyxl.load_workbook(out / "matrice.xlsx")["Exigences"]
    assert ws.max_row > 5
    assert "Go / no-go :" in stdout and "memoire.docx" in stdout
    if "dc2_formulaire.docx" in expected:
        assert "81247563000016" in all_text(open_docx(out / "dc2_formulaire.docx"))
        assert "Formulaire DC2 officiel" in stdout


def _imported(store: Store) -> str:
    result = consultations.import_dce(store, [EXAMPLE_DIR / "dce.zip"], workers=1)
    profile_service.import_file(store, EXAMPLE_DIR / "profile.json")
    return result.consultation_uuid


def test_saved_section_text_is_what_gets_exported(store: Store, tmp_path: Path) -> None:
    uuid = _imported(store)
    stored = proposals.draft_consultation(store, uuid, "offline")
    rows = store.read().execute("SELECT engine, dirty FROM sections WHERE deleted = 0").fetchall()
    assert rows and all(r["engine"] == "offline" and r["dirty"] == 1 for r in rows)
    key = "2.1"
    proposals.save_section_text(store, stored, key, "Notre conducteur de travaux est présent chaque jour.")
    result = proposals.export_consultation(store, uuid, tmp_path / "out")
    text = all_text(open_docx(result.folder / "memoire.docx"))
    assert "Notre conducteur de travaux est présent chaque jour." in text
    # Drafting again keeps what the user wrote.
    again = proposals.draft_consultation(store, uuid, "offline")
    assert again.answer.bodies[key] == "Notre conducteur de travaux est présent chaque jour."
    # Unless the user asks to draft again over it: the template text comes back.
    redrafted = proposals.draft_consultation(store, uuid, "offline", overwrite=True)
    assert redrafted.answer.bodies[key] != "Notre conducteur de travaux est présent chaque jour."
    assert "[à compléter" in redrafted.answer.bodies[key]
    reopened = proposals.draft_consultation(store, uuid, "offline")
    assert reopened.answer.bodies[key] == redrafted.answer.bodies[key]  # saved in the store


def test_draft_and_export_commands_on_a_stored_consultation(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    uuid = _imported(store)
    store.close()
    code, stdout, stderr = run_cli(["draft", uuid[:8]], cli_env)
    assert code == 0, stderr
    assert "sections enregistrées" in stdout and "[à compléter : …]" in stdout
    out = tmp_path / "export"
    code, stdout, stderr = run_cli(["export", uuid, "--out", str(out), "--lot", "1"], cli_env)
    assert code == 0, stderr
    memoire = open_docx(out / "memoire.docx")
    assert memoire.sections[-1].header.paragraphs[0].text == "BRV Construction — 2026-TRV-014 — Lot 1"
    assert "☒ pour le lot n° 1" in all_text(open_docx(out / "dc1.docx"))
    code, _, stderr = run_cli(["export", "inconnue", "--out", str(out)], cli_env)
    assert code == 4 and "aucune consultation" in stderr


def test_library_block_inserted_in_a_section_reaches_the_memoire(store: Store, tmp_path: Path) -> None:
    from app.services import library

    uuid = _imported(store)
    block = library.add(
        store, "Gestion des déchets", "Tri en cinq flux sur chaque chantier, bordereaux archivés.", ["qse"]
    )
    assert [b.uuid for b in library.search(store, "dechets")] == [block.uuid]
    stored = proposals.open_answer(store, uuid)
    proposals.insert_library_block(store, stored, "3.1", block.uuid)
    result = proposals.export_consultation(store, uuid, tmp_path / "out")
    assert "Tri en cinq flux sur chaque chantier, bordereaux archivés." in all_text(
        open_docx(result.folder / "memoire.docx")
    )
    engine = (
        store.read()
        .execute("SELECT engine FROM sections WHERE uuid = ?", (stored.section_uuids["3.1"],))
        .fetchone()[0]
    )
    assert engine == "manual"


def test_draft_with_claude_streams_and_saves_each_section(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    from tests.support.fake_claude import FakeClaude, Reply

    uuid = _imported(store)
    store.close()
    with FakeClaude() as fake:

        def reply(body: dict[str, object]) -> Reply:
            title = next(line for line in str(body).split("\\n") if line.startswith("Titre : "))
            return Reply(
                text=f"Réponse rédigée pour « {title[8:]} ». [à compléter : durée de la phase 1]", chunks=4
            )

        fake.default = reply
        env = dict(cli_env, ANTHROPIC_API_KEY="sk-ant-test-key", ANTHROPIC_BASE_URL=fake.url)
        code, stdout, stderr = run_cli(["draft", uuid, "--engine", "claude", "--send-to-claude"], env)
        assert code == 0, stderr
        calls = len(fake.message_calls)
    assert "Réponse rédigée pour « 2.1 Présentez l'équipe affectée au chantier" in stdout
    # Only the questions are sent to Claude; headings that introduce sub-questions stay offline.
    assert calls == 7
    out = tmp_path / "export"
    code, _, stderr = run_cli(["export", uuid, "--out", str(out)], cli_env)
    assert code == 0, stderr
    text = all_text(open_docx(out / "memoire.docx"))
    assert (
        "Réponse rédigée pour « 3.2 Présentez les mesures de réduction des nuisances (bruit, poussière). »"
        in text
    )
    assert "[à compléter : durée de la phase 1]" in text
