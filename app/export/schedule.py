"""Price schedules of the buyer (BPU, DPGF, DQE… as XLSX/XLSM): their priced lines found from the
column headers (designation, unit, quantity, unit or lump-sum price, total), and our own totals.

A *line* is one cell where the candidate types a price: a row of a table under a header row that has
a price column (several price columns — hourly rate, half day, daily rate — give several lines), or a
lump sum written next to a "€ HT" label outside any table. Its key is "Sheet!C20", stable for a file.
Our total of a line = Σ quantity × price × factor, the factor being the months a total column says it
includes ("TOTAL € HT (inclus 12 mois)") when the price is monthly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from app.domain import numbers
from app.domain.errors import InvalidInput
from app.export.formula import Evaluator, Unsupported, cell_name
from app.export.ooxml import check_package

KINDS = ("BPU", "DPGF", "DQE")
TOLERANCE = 0.005  # € — differences below half a cent are rounding
MAX_HEADER_LEN = 90


def norm(text: str) -> str:
    """Lower case, no accents, one space: what header and designation matching compare."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u200b", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip().lower()


def euros(value: float | None) -> str:
    """1234.5 → '1 234,50 €' (app.domain.numbers, cents always shown in a price grid); None → '—'."""
    if value is None:
        return "—"
    return numbers.euros(value, 2, unit_space="\u00a0")


def parse_euros(text: str) -> float | None:
    """'1 234,50 €', '1234.5', '' → 1234.5 / None; raises ValueError on anything else."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]|HT$", "", text.strip(), flags=re.IGNORECASE)
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    value = float(cleaned)
    if value < 0 or value != value or value in (float("inf"),):
        raise ValueError(text)
    return round(value, 4)


# --- header classification -------------------------------------------------------------------------
_TOTAL = re.compile(r"\b(total|montant|sous-total)\b")
_PRICE = re.compile(r"\bprix\b|\bp\.?\s?u\.?\b|\btjm\b|taux horaire|demi[- ]?journee|\bforfait")
_QTY = re.compile(r"\bquantite|\bqte\b|\bqt\b|\bnombre\b|\bnb\b")
_UNIT = re.compile(r"^(u|u\.|unite|unites|unit)$|^unite\b")
_DESIG = re.compile(
    r"designation|libelle|profil|\btype\b|prestation|intitule|article|description|nature|ouvrage|poste"
)
_MONTHS = re.compile(r"(\d+)\s*mois")
_PERIODIC = re.compile(r"\b(mensuel(le)?|par mois|annuel(le)?|par an|trimestriel(le)?)\b")
_EURO_LABEL = re.compile(r"^(€|eur|euros?)\s*h\.?\s*t\.?$")
_TOTAL_ROW = re.compile(r"^(sous[- ])?total\b|^montant total")


def _classify(text: str) -> str | None:
    t = norm(text)
    if not t or len(t) > MAX_HEADER_LEN or "lettre" in t:
        return None  # "Prix en lettres": words written by hand, never a number
    if _TOTAL.search(t):
        return "total"
    if _PRICE.search(t):
        return "price"
    if _QTY.search(t):
        return "qty"
    if _UNIT.search(t):
        return "unit"
    if _DESIG.search(t):
        return "designation"
    return None


@dataclass(frozen=True, slots=True)
class Quantity:
    cell: str
    value: float
    total_cell: str | None  # the buyer's total of this quantity (a formula), when there is one
    factor: float = 1.0  # months included by the total column for a monthly price


@dataclass(frozen=True, slots=True)
class PriceLine:
    sheet: str
    cell: str  # where the price goes
    designation: str
    price_label: str  # header of the price column ("TJM", "Prix unitaire HT"…)
    unit: str = ""
    quantities: tuple[Quantity, ...] = ()
    lump_sum: bool = False
    section: str = ""  # title of the table the line belongs to
    current: float | None = None  # the value already in the buyer's file
    periodic: bool = False  # its total is per month or per year ("Prix total € HT mensuel")
    # Not a price: a value the buyer asks of the candidate beside them, in a cell of the price cells'
    # colour (a coefficient, a total to carry over, a discount; see candidate_cells). Typed in the Prix
    # tab like a price, never part of our totals.
    entry: bool = False

    @property
    def key(self) -> str:
        return f"{self.sheet}!{self.cell}"

    @property
    def quantity(self) -> float | None:
        if self.lump_sum:
            return 1.0
        if not self.quantities:
            return None
        return sum(q.value * q.factor for q in self.quantities)

    def total(self, price: float | None) -> float | None:
        """Our total for this line (None when the line has no quantity, as in a BPU)."""
        if price is None:
            return None
        qty = self.quantity
        return None if qty is None else qty * price


@dataclass(frozen=True, slots=True)
class TotalRow:
    """A buyer's total cell under a table, and the lines it should add up."""

    sheet: str
    cell: str
    label: str
    parts: tuple[tuple[str, str], ...]  # (line key, quantity cell) summed by this total


@dataclass
class Schedule:
    file_name: str
    kind: str  # BPU, DPGF, DQE or "" when the name says nothing
    lines: list[PriceLine] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    protected: dict[str, set[str]] = field(default_factory=dict)  # sheet → locked line cells
    merged: dict[str, list[str]] = field(default_factory=dict)

    def line(self, key: str) -> PriceLine | None:
        return next((ln for ln in self.lines if ln.key == key), None)

    @property
    def has_quantities(self) -> bool:
        return any(ln.quantities or ln.lump_sum for ln in self.lines)


def schedule_kind(name: str) -> str:
    upper = norm(name).upper()
    for kind in KINDS:
        if re.search(rf"(^|[^A-Z]){kind}([^A-Z]|$)", upper):
            return kind
    if "BORDEREAU" in upper:
        return "BPU"
    if "DETAIL QUANTITATIF" in upper:
        return "DQE"
    if "DECOMPOSITION DU PRIX" in upper:
        return "DPGF"
    return ""


# --- reading ---------------------------------------------------------------------------------------
def read_schedule(path: Path, name: str | None = None) -> Schedule:
    """The priced lines of a buyer's workbook (raises InvalidInput with a French message)."""
    import openpyxl

    check_package(path, "bordereau de prix")
    try:
        wb = openpyxl.load_workbook(path, data_only=False, keep_links=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise InvalidInput(
            f"{path.name} : classeur illisible ({type(exc).__name__}).", field="bordereau de prix"
        ) from exc
    schedule = Schedule(file_name=name or path.name, kind=schedule_kind(name or path.name))
    try:
        for ws in wb.worksheets:
            cells: dict[str, Any] = {}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells[c.coordinate] = c.value
            schedule.cells[ws.title] = cells
            schedule.merged[ws.title] = [str(r) for r in ws.merged_cells.ranges]
            sheet = _SheetReader(ws.title, cells, ws.merged_cells.ranges)
            sheet.read()
            schedule.lines += sheet.lines
            schedule.totals += sheet.totals
            if ws.protection.sheet:
                locked = {ln.cell for ln in sheet.lines if ws[ln.cell].protection.locked}
                if locked:
                    schedule.protected[ws.title] = locked
            for cell, label, unit in candidate_cells(ws, {ln.cell for ln in sheet.lines}, cells):
                schedule.lines.append(
                    PriceLine(ws.title, cell, label, ENTRY_LABEL, unit=unit, current=None, entry=True)
                )
    finally:
        wb.close()
    return schedule


def _fill_key(cell: Any) -> tuple[object, ...] | None:
    """A cell's background as a comparable key; None when it has none or is plain white."""
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    value = colour.rgb if colour.type == "rgb" else colour.theme if colour.type == "theme" else colour.indexed
    if colour.type == "rgb" and str(value).upper() in ("FFFFFFFF", "00FFFFFF"):
        return None
    if colour.type == "theme" and value == 0 and not colour.tint:
        return None  # the theme's background
    return (colour.type, str(value).upper(), round(float(colour.tint or 0), 3))


def _unit_only(value: Any) -> bool:
    """Empty, or a placeholder a candidate writes over ("€HT", "%", "€ HT", "……")."""
    if value is None:
        return True
    return isinstance(value, str) and not any(
        ch.isdigit() or (ch.isalpha() and ch not in "HTCht") for ch in value
    )


ENTRY_LABEL = "Valeur demandée par l'acheteur"


def _unit_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and _unit_only(value)


def candidate_cells(ws: Any, price_cells: set[str], cells: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Cells the buyer keeps for the candidate beyond the price lines: (cell, its row's label, the unit
    written in it or just right of it: "€HT", "%").

    Buyers mark what the candidate fills with one background colour ("les cases en fond bleu sont à
    remplir par le candidat") and the price cells found by the reader show which colour that is: the
    other cells of that colour that hold no formula and nothing but a unit are left for the candidate too
    (a coefficient, a total to carry over). Read only when at least three price cells share that colour,
    so a plain coloured table is never taken for a form."""
    keys: dict[tuple[object, ...], int] = {}
    for coord in price_cells:
        key = _fill_key(ws[coord])
        if key is not None:
            keys[key] = keys.get(key, 0) + 1
    if not keys:
        return []
    marker, count = max(keys.items(), key=lambda kv: kv[1])
    if count < 3 or count * 2 < len(price_cells):
        return []
    found: list[tuple[str, str, str]] = []
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c, MergedCell) or c.coordinate in price_cells or not _unit_only(c.value):
                continue
            if _fill_key(c) != marker:
                continue
            if isinstance(c.value, str) and c.value.startswith("="):
                continue
            label = next(
                (
                    " ".join(str(cells[k]).split())
                    for k in (f"{get_column_letter(col)}{c.row}" for col in range(1, c.column))
                    if isinstance(cells.get(k), str) and any(ch.isalpha() for ch in str(cells[k]))
                ),
                "",
            )
            if label:  # a coloured cell with nothing to say what it is is decoration
                beside = cells.get(f"{get_column_letter(c.column + 1)}{c.row}")
                unit = c.value if isinstance(c.value, str) else beside if _unit_text(beside) else ""
                found.append((c.coordinate, label, " ".join(str(unit).split())))
    return found


@dataclass
class _Header:
    row: int
    columns: dict[int, str]  # column → kind
    labels: dict[int, str]

    def cols(self, kind: str) -> list[int]:
        return sorted(c for c, k in self.columns.items() if k == kind)


class _SheetReader:
    def __init__(self, title: str, cells: dict[str, Any], merged: Iterable[Any]) -> None:
        self.title = title
        self.grid: dict[int, dict[int, Any]] = {}
        for coord, value in cells.items():
            letters, row = coordinate_from_string(coord)
            self.grid.setdefault(row, {})[column_index_from_string(letters)] = value
        self.inside_merge: set[tuple[int, int]] = set()
        for rng in merged:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        self.inside_merge.add((r, c))
        self.lines: list[PriceLine] = []
        self.totals: list[TotalRow] = []
        self.used_rows: set[int] = set()
        self.ev = Evaluator({title: cells})

    def _text(self, row: int, col: int) -> str:
        v = self.grid.get(row, {}).get(col)
        return v.strip() if isinstance(v, str) and not v.startswith("=") else ""

    def _number(self, row: int, col: int) -> float | None:
        v = self.grid.get(row, {}).get(col)
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)):
            return float(v)
        if isinstance(v, str) and v.startswith("="):
            try:
                value = self.ev.value(self.title, cell_name(row, col))
            except Unsupported:
                return None
            return float(value) if isinstance(value, (int, float)) else None
        return None

    def _header(self, row: int) -> _Header | None:
        columns: dict[int, str] = {}
        labels: dict[int, str] = {}
        for col, value in self.grid.get(row, {}).items():
            if not isinstance(value, str) or value.startswith("="):
                if isinstance(value, (int, float)):
                    return None  # numbers: a data row
                continue
            kind = _classify(value)
            if kind:
                columns[col] = kind
                labels[col] = " ".join(value.split())
        if "price" not in columns.values():
            return None
        if "designation" not in columns.values() and "qty" not in columns.values():
            return None
        return _Header(row, columns, labels)

    def read(self) -> None:
        rows = sorted(self.grid)
        for row in rows:
            if row in self.used_rows:
                continue
            header = self._header(row)
            if header is not None:
                self._table(header)
        for row in rows:
            if row not in self.used_rows:
                self._lump_sum(row)

    def _section_title(self, header: _Header) -> str:
        for row in range(header.row - 1, max(0, header.row - 3), -1):
            texts = [self._text(row, c) for c in sorted(self.grid.get(row, {}))]
            texts = [t for t in texts if (t and _classify(t) is None) or (t and len(t) > MAX_HEADER_LEN)]
            texts = [t for t in texts if not norm(t).startswith("notice")]
            if texts:
                return " ".join(texts[0].split())[:160]
        return ""

    def _designation(self, row: int, header: _Header, first_value_col: int) -> str:
        for col in header.cols("designation"):
            text = self._text(row, col)
            if text:
                return " ".join(text.split())
        for col in sorted(self.grid.get(row, {})):
            if col >= first_value_col:
                break
            text = self._text(row, col)
            if text and header.columns.get(col) != "unit":
                return " ".join(text.split())
        return ""

    def _table(self, header: _Header) -> None:
        prices = header.cols("price")
        qtys = header.cols("qty")
        totals = header.cols("total")
        units = header.cols("unit")
        first_value_col = min(prices + qtys)
        pairs: dict[int, int | None] = {}
        for q in qtys:
            nxt = min((c for c in qtys if c > q), default=10**6)
            pairs[q] = next((t for t in totals if q < t < nxt), None)
        section = self._section_title(header)
        self.used_rows.add(header.row)
        parts: dict[int, list[tuple[str, str]]] = {t: [] for t in totals}
        since_subtotal: dict[int, list[tuple[str, str]]] = {t: [] for t in totals}
        row = header.row + 1
        last = max(self.grid) if self.grid else 0
        while row <= last:
            values = self.grid.get(row, {})
            if not values or all(isinstance(v, str) and not v.strip() for v in values.values()):
                break
            if self._header(row) is not None:
                break
            designation = self._designation(row, header, first_value_col)
            label = norm(designation)
            if _TOTAL_ROW.match(label):
                self.used_rows.add(row)
                sub = label.startswith("sous")
                with_tax = bool(re.search(r"\b(ttc|tva)\b", label))
                for t in totals:
                    members = since_subtotal[t] if sub else parts[t]
                    coord = cell_name(row, t)
                    if isinstance(self.grid.get(row, {}).get(t), str) and members and not with_tax:
                        self.totals.append(TotalRow(self.title, coord, designation, tuple(members)))
                    since_subtotal[t] = []
                row += 1
                continue
            self.used_rows.add(row)
            unit = next((self._text(row, c) for c in units if self._text(row, c)), "")
            quantities: list[Quantity] = []
            for q in qtys:
                value = self._number(row, q)
                if value is None:
                    continue
                paired = pairs[q]
                total_cell = cell_name(row, paired) if paired else None
                quantities.append(Quantity(cell_name(row, q), value, total_cell))
            if designation and qtys and not quantities:
                section = designation  # a section title inside the table
            elif designation:
                for p in prices:
                    self._add_line(
                        row, p, header, designation, unit, quantities, section, (parts, since_subtotal)
                    )
            row += 1

    def _add_line(
        self,
        row: int,
        col: int,
        header: _Header,
        designation: str,
        unit: str,
        quantities: list[Quantity],
        section: str,
        groups: tuple[dict[int, list[tuple[str, str]]], ...],
    ) -> None:
        raw = self.grid.get(row, {}).get(col)
        if isinstance(raw, str) and (raw.startswith("=") or raw.strip()):
            return  # a formula (price taken elsewhere) or a note: not an input
        if (row, col) in self.inside_merge:
            return
        price_label = header.labels[col]
        monthly = "mensuel" in norm(price_label)
        with_factor: list[Quantity] = []
        periodic = False
        for q in quantities:
            factor = 1.0
            if q.total_cell:
                label = header.labels.get(
                    column_index_from_string(coordinate_from_string(q.total_cell)[0]), ""
                )
                periodic = periodic or bool(_PERIODIC.search(norm(label)))
            if q.total_cell and monthly:
                tcol = column_index_from_string(coordinate_from_string(q.total_cell)[0])
                m = _MONTHS.search(norm(header.labels.get(tcol, "")))
                if m:
                    factor = float(m.group(1))
            with_factor.append(Quantity(q.cell, q.value, q.total_cell, factor))
        line = PriceLine(
            sheet=self.title,
            cell=cell_name(row, col),
            designation=designation,
            price_label=price_label,
            unit=unit,
            quantities=tuple(with_factor),
            section=section,
            current=float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None,
            periodic=periodic,
        )
        self.lines.append(line)
        for q in with_factor:
            if q.total_cell:
                tcol = column_index_from_string(coordinate_from_string(q.total_cell)[0])
                for group in groups:
                    group.setdefault(tcol, []).append((line.key, q.cell))

    def _lump_sum(self, row: int) -> None:
        """ "Label … [empty cell] € HT": a lump sum outside the tables."""
        values = self.grid.get(row, {})
        for col, value in sorted(values.items()):
            if not isinstance(value, str) or not _EURO_LABEL.match(norm(value)) or col < 2:
                continue
            target = col - 1
            if target in values or (row, target) in self.inside_merge:
                continue
            labels = [self._text(row, c) for c in sorted(values) if c < target and self._text(row, c)]
            if not labels:
                continue
            designation = " ".join(labels[0].split())
            self.lines.append(
                PriceLine(
                    sheet=self.title,
                    cell=cell_name(row, target),
                    designation=designation,
                    price_label="Prix forfaitaire € HT",
                    unit="forfait",
                    lump_sum=True,
                )
            )


# --- our totals and the buyer's ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LineCheck:
    key: str
    designation: str
    ours: float
    buyers: float | None  # the buyer's formulas, evaluated with our prices (None: not computable)

    @property
    def differs(self) -> bool:
        return self.buyers is not None and abs(self.buyers - self.ours) > TOLERANCE


@dataclass(frozen=True, slots=True)
class TotalCheck:
    sheet: str
    cell: str
    label: str
    ours: float
    buyers: float | None

    @property
    def differs(self) -> bool:
        return self.buyers is not None and abs(self.buyers - self.ours) > TOLERANCE


@dataclass
class Computation:
    total: float  # Σ our line totals (lines with a quantity, lump sums)
    lines: list[LineCheck]
    totals: list[TotalCheck]
    missing: list[PriceLine]  # lines without a price
    evaluator: Evaluator


def compute(schedule: Schedule, prices: Mapping[str, float]) -> Computation:
    """Our totals line by line, and the buyer's formulas evaluated with the same prices."""
    overrides = {
        (ln.sheet, ln.cell): prices[ln.key] for ln in schedule.lines if prices.get(ln.key) is not None
    }
    ev = Evaluator(schedule.cells, overrides)
    checks: list[LineCheck] = []
    missing: list[PriceLine] = []
    grand = 0.0
    line_totals: dict[tuple[str, str], float] = {}
    for ln in schedule.lines:
        if ln.entry:
            continue  # a coefficient or a total the candidate states: not a price to add up
        price = prices.get(ln.key, ln.current)
        if price is None:
            missing.append(ln)
            price = 0.0
        ours = ln.total(price)
        if ours is None:
            continue
        grand += ours
        buyers: float | None = None
        total_cells = [q.total_cell for q in ln.quantities if q.total_cell]
        if total_cells:
            try:
                buyers = sum(ev.number(ln.sheet, c) for c in total_cells)
            except Unsupported:
                buyers = None
        for q in ln.quantities:
            line_totals[(ln.key, q.cell)] = q.value * q.factor * price
        checks.append(LineCheck(ln.key, ln.designation, ours, buyers))
    total_checks: list[TotalCheck] = []
    for t in schedule.totals:
        ours = sum(line_totals.get(p, 0.0) for p in t.parts)
        try:
            buyers_total: float | None = ev.number(t.sheet, t.cell)
        except Unsupported:
            buyers_total = None
        total_checks.append(TotalCheck(t.sheet, t.cell, t.label, ours, buyers_total))
    return Computation(grand, checks, total_checks, missing, ev)
