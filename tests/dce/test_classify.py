"""Piece kinds from names as buyers write them, then from the first page when the name says nothing."""

from __future__ import annotations

import pytest

from app.dce.classify import classify, classify_name, classify_text
from app.domain.kinds import PieceKind as K


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Dossier/01 - Règlement de la consultation.pdf", K.RC),
        ("25TIC06_RC_v2.pdf", K.RC),
        ("RPC_VF.pdf", K.RC),
        ("R.C.pdf", K.RC),
        ("R.C. - Travaux du gymnase.pdf", K.RC),
        ("RPAO.pdf", K.RC),
        ("Règlement particulier d'appel d'offres.pdf", K.RC),
        ("Plan RDC.pdf", None),
        ("DCE_C.C.A.P_Indice-B.pdf", K.CCAP),
        ("COUPVRAY-CCTP-LOT-00-Generalites-Indice-B.pdf", K.CCTP),
        ("Lot 2 - CCTP Charpente.pdf", K.CCTP),
        ("CCP valant CCAP et CCTP.pdf", K.CCAP),
        ("Cahier des clauses particulières.pdf", K.CCP),
        ("03_AE_LOT-01.docx", K.AE),
        ("ATTRI1 - Acte d'engagement.docx", K.AE),
        ("Annexe 1 à l'AE - DPGF L2_.xlsx", K.DPGF),
        ("BPU lot 3.xlsx", K.BPU),
        ("Détail quantitatif estimatif.xlsx", K.DQE),
        ("Cadre de réponse technique Lot 2.docx", K.CADRE_REPONSE),
        ("CRT_L2_VF.docx", K.CADRE_REPONSE),
        ("Cadre de réponse financière.xlsx", K.CRF),
        ("DC1.docx", K.DC1),
        ("dc2-2023.docx", K.DC2),
        ("Questions-Réponses n°1.pdf", K.QR_REGISTER),
        ("Annexe 2 au CCTP - liste des sites.pdf", K.ANNEXE),
        ("Projet de marché.pdf", K.CONTRAT),
    ],
)
def test_kind_from_file_name(name: str, kind: K | None) -> None:
    assert classify_name(name) == kind


def test_names_without_a_kind_fall_back_to_the_first_page() -> None:
    assert classify_name("Lot-01-Charpente-Couverture-Menuiserie-Alu.pdf") is None
    first_page = "MAIRIE DE CUZIEU\nC.C.T.P.\nCahier des clauses techniques particulières\nLot 01"
    assert classify("Lot-01-Charpente.pdf", first_page) == K.CCTP
    # The title wins over a cross-reference further down the page.
    rc_page = "RÈGLEMENT DE LA CONSULTATION\n… conformément au CCAP et au cahier des clauses techniques"
    assert classify_text(rc_page) == K.RC
    assert classify("scan001.pdf", "") == K.AUTRE
