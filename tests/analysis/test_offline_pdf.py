"""A real PDF RC (written with fpdf2, read back by the import's extractor), in another buyer's style."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from app.analysis.offline import analyze_offline
from app.domain.analysis import Procedure, SiteVisit
from app.domain.kinds import PieceKind
from app.domain.kinds import RequiredDocument as R
from tests.analysis.helpers import assert_contract_valid, assert_evidence_honest
from tests.analysis.loader import load_dce


def _write_rc(path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font("Helvetica", size=10)

    def para(text: str, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 10)
        pdf.multi_cell(0, 5, text)
        pdf.ln(1)

    pdf.add_page()
    para("CENTRE HOSPITALIER DE BELLERIVE", bold=True)
    para("REGLEMENT DE LA CONSULTATION")
    para("Marché n° CHB-2026-045")
    para("Fourniture et installation d'équipements de blanchisserie")
    para("DATE LIMITE DE RECEPTION DES PLIS", bold=True)
    para("Vendredi 17 juillet 2026 - 17h00")
    pdf.add_page()
    para("ARTICLE 1 - MODE DE PASSATION", bold=True)
    para(
        "La présente consultation est passée selon la procédure de l'appel d'offres ouvert en application "
        "des articles L. 2124-2 et R. 2124-2 1° du Code de la commande publique."
    )
    para("ARTICLE 2 - ALLOTISSEMENT", bold=True)
    para("Les prestations sont réparties en 2 lots :")
    para("Lot(s) Désignation")
    para("1 Equipements de lavage")
    para("2 Equipements de finition")
    para("ARTICLE 3 - VARIANTES ET VALIDITE", bold=True)
    para("Aucune variante n'est autorisée. Les offres restent valables pendant quatre-vingt-dix (90) jours.")
    para("ARTICLE 4 - VISITE", bold=True)
    para("Une visite des locaux est facultative.")
    para("ARTICLE 5 - PIECES A FOURNIR", bold=True)
    para("Au titre de la candidature :")
    para("- le formulaire DC1 et le formulaire DC2 ;")
    para("- une attestation d'assurance de responsabilité civile professionnelle ;")
    para("Au titre de l'offre :")
    para("- l'acte d'engagement ;")
    para("- le bordereau des prix unitaires ;")
    para("- un mémoire technique, limité à 20 pages.")
    para("Le candidat retenu produira un extrait Kbis et les attestations fiscales et sociales.")
    pdf.add_page()
    para("ARTICLE 6 - JUGEMENT DES OFFRES", bold=True)
    para("Les offres sont jugées selon les critères pondérés suivants :")
    with pdf.table(col_widths=(120, 50)) as table:
        for cells in (
            ("Critères", "Pondération"),
            ("Valeur technique", "50 %"),
            ("Sous-critère 1 : Performances des équipements", "30 %"),
            ("Sous-critère 2 : Service après-vente", "20 %"),
            ("Prix", "40 %"),
            ("Délai de livraison", "10 %"),
        ):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    para("ARTICLE 7 - RENSEIGNEMENTS COMPLEMENTAIRES", bold=True)
    para(
        "Seules les demandes adressées au moins 10 jours avant la date limite de réception des offres "
        "feront l'objet d'une réponse."
    )
    pdf.output(str(path))


def test_pdf_rc_of_another_buyer(tmp_path: Path) -> None:
    path = tmp_path / "RC_CHB-2026-045.pdf"
    _write_rc(path)
    pieces = load_dce(path)
    assert [p.kind for p in pieces] == [PieceKind.RC]
    analysis = analyze_offline(pieces)
    assert_evidence_honest(analysis, pieces)
    assert_contract_valid(analysis.to_contract())
    assert analysis.buyer == "CENTRE HOSPITALIER DE BELLERIVE"
    assert analysis.reference == "CHB-2026-045"
    assert analysis.procedure is Procedure.APPEL_OFFRES_OUVERT
    assert analysis.deadline == "2026-07-17T17:00:00+02:00"
    assert analysis.evidence["deadline"].page == 1
    assert [(lot.number, lot.title) for lot in analysis.lots] == [
        (1, "Equipements de lavage"),
        (2, "Equipements de finition"),
    ]
    assert analysis.variants_allowed is False
    assert analysis.offer_validity_days == 90
    assert analysis.site_visit is SiteVisit.OPTIONAL
    assert analysis.memoire_page_limit == 20
    assert analysis.questions_deadline == "J-10"
    assert [(c.name, c.weight_percent) for c in analysis.criteria] == [
        ("Valeur technique", 50.0),
        ("Prix", 40.0),
        ("Délai de livraison", 10.0),
    ]
    assert [(s.name, s.weight_percent) for s in analysis.criteria[0].subcriteria] == [
        ("Performances des équipements", 30.0),
        ("Service après-vente", 20.0),
    ]
    assert analysis.criteria[0].evidence is not None and analysis.criteria[0].evidence.page == 3
    assert set(analysis.required_documents) == {
        R.DC1, R.DC2, R.ATTESTATION_ASSURANCE, R.AE, R.BPU, R.MEMOIRE_TECHNIQUE,
    }  # fmt: skip
