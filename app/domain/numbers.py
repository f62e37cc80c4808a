"""French numbers for the user, declared once: "9,7 %", "1 240 000 €", "0,5".

Decimal comma, narrow no-break space (U+202F) between thousands; a plain space before % and €, which
the documents' typography pass (app.export.typography) turns into a no-break space. The fiche, the
CLI and the exports use these helpers (`unit_space=NBSP` where no such pass follows, as in a UI label).
"""

from __future__ import annotations

NNBSP = "\u202f"  # espace fine insécable: thousands
NBSP = "\u00a0"  # espace insécable


def number(value: float | int, decimals: int | None = None) -> str:
    """1240000 -> '1 240 000'; 9.68 -> '9,68'; 9.7 with decimals=1 -> '9,7'; 12.0 -> '12'.

    Without `decimals`, up to two decimals are kept and trailing zeros dropped."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if decimals is None else f"{value:,.{decimals}f}"
    if text.strip("-0.,") == "":  # no "-0"
        text = text.lstrip("-") or "0"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", NNBSP)


def percent(value: float | int, decimals: int | None = None, *, unit_space: str = " ") -> str:
    """25.81 -> '25,81 %'; with decimals=1 -> '25,8 %'. `value` is already in percent."""
    return f"{number(value, decimals)}{unit_space}%"


def euros(value: float | int, decimals: int | None = None, *, unit_space: str = " ") -> str:
    """1240000 -> '1 240 000 €'; 1234.5 -> '1 234,5 €' (decimals=2 -> '1 234,50 €')."""
    return f"{number(value, decimals)}{unit_space}€"
