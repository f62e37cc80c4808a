"""`maitre-ao demo`, `draft` and `export` run as a user would, files reopened."""

from __future__ import annotations

import json
import zipfile
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
        "2026-TRV-014_AE.docx",
        "2026-TRV-014_Cadre_de_réponse_technique.docx",
        "2026-TRV-014_DQE_LOT-01.xlsx",
        "2026-TRV-014_DPGF_LOT-01-03.xlsx",
        "dossier_de_remise",
        "dossier_de_remise.zip",
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
    # The buyer's documents come back filled: the DQE with the example prices, the AE with its total.
    dqe = openpyxl.load_workbook(out / "2026-TRV-014_DQE_LOT-01.xlsx")["DQE Lot 1"]
    prices = json.loads((EXAMPLE_DIR / "prices.json").read_text(encoding="utf-8"))
    rows = [r for r in dqe.iter_rows(min_row=6) if isinstance(r[1].value, str) and r[1].value in prices]
    assert len(rows) == len(prices) and all(r[4].value == prices[r[1].value] for r in rows)
    total = sum(r[3].value * r[4].value for r in rows)
    ae = all_text(open_docx(out / "2026-TRV-014_AE.docx"))
    amount = f"{total:,.2f}".replace(",", " ").replace(".", ",")
    assert f"Montant hors taxes (en chiffres) : {amount} € HT" in ae
    assert "SIRET : 81247563000016" in ae and "Signature du candidat" in ae
    cadre = [p.text for p in open_docx(out / "2026-TRV-014_Cadre_de_réponse_technique.docx").paragraphs]
    question = cadre.index(
        "2.1 Présentez l'équipe affectée au chantier (CV du conducteur de travaux et du chef de chantier)."
    )
    assert cadre[question + 1] == "Réponse du candidat :" and cadre[question + 2].strip()
    assert (
        "Cadre de réponse 2026-TRV-014_Cadre_de_réponse_technique.docx : 7 réponse(s) à leur place" in stdout
    )
    with zipfile.ZipFile(out / "dossier_de_remise.zip") as zf:
        names = set(zf.namelist())
    assert {"offre/2026-TRV-014_AE.docx", "offre/2026-TRV-014_DQE_LOT-01.xlsx"} <= names
    dc2 = "candidature/dc2_formulaire.docx" if "dc2_formulaire.docx" in expected else "candidature/dc2.docx"
    assert dc2 in names and "candidature/dc1.docx" in names
    assert "offre/2026-TRV-014_Cadre_de_réponse_technique.docx" in names
    assert "offre/memoire.docx" not in names  # the cadre carries the answers
    checklist = all_text(open_docx(out / "checklist.docx"))
    assert "Dossier de remise" in checklist and "2026-TRV-014_AE.docx | rempli, à signer" in checklist
    assert "2.1 | réponse écrite à sa place dans le cadre" in checklist  # question → section link shown
    assert f"montant {amount} € HT repris de 2026-TRV-014_DQE_LOT-01.xlsx" in stdout.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
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


def test_subcontractor_declared_gets_its_dc4_in_the_offer(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    uuid = _imported(store)
    store.close()
    add = ["subcontract", "add", uuid[:8], "--name", "Étanchéité Moderne SARL", "--siret", "73282932000074"]
    code, _, stderr = run_cli([*add, "--services", "Étanchéité de la toiture", "--amount", "42500"], cli_env)
    assert code == 0, stderr
    code, _, stderr = run_cli(
        ["subcontract", "add", uuid, "--name", "X", "--siret", "123", "--services", "Y"], cli_env
    )
    assert code == 4 and "siret" in stderr.lower()
    code, stdout, _ = run_cli(["subcontract", "list", uuid], cli_env)
    assert "Étanchéité Moderne SARL" in stdout and "42\u202f500,00\u00a0€ HT" in stdout
    out = tmp_path / "export"
    code, stdout, stderr = run_cli(["export", uuid, "--out", str(out), "--lot", "1"], cli_env)
    assert code == 0, stderr
    [dc4] = list(out.glob("dc4_*.docx"))
    assert "Étanchéité Moderne SARL" in all_text(open_docx(dc4))
    with zipfile.ZipFile(out / "dossier_de_remise.zip") as zf:
        assert f"offre/{dc4.name}" in zf.namelist()
    assert f"{dc4.name} | à signer" in all_text(open_docx(out / "checklist.docx"))


def test_lots_chosen_for_the_consultation_reach_dc1(
    store: Store, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    uuid = _imported(store)
    store.close()
    code, stdout, _ = run_cli(["lots", uuid], cli_env)
    assert code == 0 and "Aucun lot choisi" in stdout
    code, _, stderr = run_cli(["lots", uuid, "7"], cli_env)
    assert code == 4 and "inconnu" in stderr
    code, stdout, stderr = run_cli(["lots", uuid, "1", "3"], cli_env)
    assert code == 0 and "1, 3" in stdout, stderr
    out = tmp_path / "two"
    code, _, stderr = run_cli(["export", uuid, "--out", str(out)], cli_env)
    assert code == 0, stderr
    dc1 = all_text(open_docx(out / "dc1.docx"))
    assert (
        "☐ pour tous les lots de la procédure ;" in dc1 and "☒ pour les lots n° 1, 3 de la procédure." in dc1
    )
    run_cli(["lots", uuid, "2"], cli_env)
    out = tmp_path / "one"
    code, _, stderr = run_cli(["export", uuid, "--out", str(out)], cli_env)
    assert code == 0 and "Aucun lot choisi" not in stderr
    assert "☒ pour le lot n° 2 de la procédure." in all_text(open_docx(out / "dc1.docx"))
