"""French numbers (issue 16: "25.81 %" with a decimal point in the fiche and the mémoire)."""

from __future__ import annotations

from app.domain.numbers import NNBSP, euros, number, percent


def test_french_numbers() -> None:
    assert number(1240000) == f"1{NNBSP}240{NNBSP}000"
    assert number(9.68) == "9,68"
    assert number(12.0) == "12"
    assert number(-0.001) == "0"
    assert percent(9.677, 1) == "9,7 %"
    assert percent(25.81) == "25,81 %"
    assert euros(1240000) == f"1{NNBSP}240{NNBSP}000 €"
    assert euros(1234.5, 2) == f"1{NNBSP}234,50 €"


def test_fiche_and_memoire_headings_write_weights_with_a_decimal_comma() -> None:
    from app.analysis.fiche import render_fiche
    from app.domain.analysis import Analysis, Criterion
    from app.drafting.outline import Outline, OutlineSource
    from app.export.memoire import section_heading

    analysis = Analysis(
        criteria=[
            Criterion(name="Valeur technique", weight_percent=25.81),
            Criterion(name="Prix", weight_percent=74.19),
        ]
    )
    fiche = render_fiche(analysis)
    assert "25,81 %" in fiche and "74,19 %" in fiche and "25.81" not in fiche
    outline = Outline(source=OutlineSource.CRITERIA, sections=[])
    assert section_heading(outline, "1", "Méthodologie", 9.68) == "1. Méthodologie (9,68 %)"
