"""Write our prices into a copy of the buyer's price schedule, in place.

The copy is made part by part: only the worksheets that receive a price and `xl/workbook.xml` change;
styles, number formats, formulas, merged cells, validations, drawings, macros (.xlsm) and every other
part are copied byte for byte. In the changed sheets only the price cells and the cached values of the
formulas we can compute are touched, and the workbook asks for a full recalculation at opening
(`fullCalcOnLoad`), so Excel and LibreOffice show the buyer's own formulas' results.
"""

from __future__ import annotations

import logging
import posixpath
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from app.domain.errors import InvalidInput
from app.export.formula import Unsupported, cell_name, split_cell
from app.export.ooxml import rewrite_package
from app.export.schedule import Computation, LineCheck, PriceLine, Schedule, TotalCheck, compute, euros, norm

log = logging.getLogger(__name__)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_C = f"{{{MAIN}}}c"
_V = f"{{{MAIN}}}v"
_F = f"{{{MAIN}}}f"
_ROW = f"{{{MAIN}}}row"


@dataclass
class ScheduleReport:
    """What the export did with one schedule (all messages in French)."""

    file_name: str
    kind: str
    written: int = 0
    lines: int = 0
    total: float | None = None  # our total (None for a BPU: no quantities)
    periodic: bool = False  # some totals are per month/year: the sum is not the contract's amount
    missing: list[PriceLine] = field(default_factory=list)
    line_differences: list[LineCheck] = field(default_factory=list)
    total_checks: list[TotalCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (sheet, cell, label) the buyer keeps for the candidate besides the prices, left empty here
    left_empty: list[tuple[str, str, str]] = field(default_factory=list)
    # the last "TOTAL …" the candidate typed in such a cell: (cell, label, value)
    stated_total: tuple[str, str, float] | None = None

    @property
    def to_complete(self) -> int:
        """Cells still to fill by hand before the file goes to the buyer."""
        return len(self.missing) + len(self.left_empty)

    @property
    def total_differences(self) -> list[TotalCheck]:
        return [t for t in self.total_checks if t.differs]


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → part name inside the package."""
    wb = etree.fromstring(zf.read("xl/workbook.xml"))
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out[sheet.get("name", "")] = part
    return out


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


class _SheetXml:
    def __init__(self, data: bytes) -> None:
        parser = etree.XMLParser(huge_tree=True, remove_blank_text=False)
        self.root = etree.fromstring(data, parser)
        self.data = self.root.find(f"{{{MAIN}}}sheetData")
        if self.data is None:
            self.data = etree.SubElement(self.root, f"{{{MAIN}}}sheetData")
        self.rows: dict[int, etree._Element] = {}
        last = 0
        for row in self.data.iter(_ROW):
            if not row.get("r"):  # optional in the format: the next row number
                row.set("r", str(last + 1))
            last = int(row.get("r", "0"))
            self.rows[last] = row
            col = 0
            for c in row.iter(_C):
                if not c.get("r"):
                    c.set("r", cell_name(last, col + 1))
                col = split_cell(c.get("r", "A1"))[1]
        self._cells: dict[int, dict[str, etree._Element]] = {}
        self.col_styles: list[tuple[int, int, str]] = []
        cols = self.root.find(f"{{{MAIN}}}cols")
        if cols is not None:
            for col in cols:
                if col.get("style"):
                    self.col_styles.append(
                        (int(col.get("min", "0")), int(col.get("max", "0")), col.get("style", ""))
                    )

    def _row(self, number: int) -> etree._Element:
        row = self.rows.get(number)
        if row is None:
            row = etree.Element(_ROW, r=str(number))
            after = [n for n in self.rows if n < number]
            if after:
                self.rows[max(after)].addnext(row)
            else:
                self.data.insert(0, row)
            self.rows[number] = row
        return row

    def cell(self, coord: str, create: bool) -> etree._Element | None:
        number, col = split_cell(coord)
        if number not in self._cells:
            row = self.rows.get(number)
            self._cells[number] = {c.get("r", ""): c for c in row} if row is not None else {}
        cells = self._cells[number]
        found = cells.get(coord)
        if found is not None or not create:
            return found
        row = self._row(number)
        style = row.get("s") if row.get("customFormat") in ("1", "true") else None
        if style is None:
            style = next((s for lo, hi, s in self.col_styles if lo <= col <= hi), None)
        new = etree.Element(_C, r=coord)
        if style:
            new.set("s", style)
        before = next((c for c in row if c.tag == _C and split_cell(c.get("r", "A1"))[1] > col), None)
        if before is not None:
            before.addprevious(new)
        else:
            row.append(new)
        cells[coord] = new
        return new

    def set_number(self, coord: str, value: float) -> None:
        c = self.cell(coord, create=True)
        assert c is not None
        for child in list(c):
            c.remove(child)
        c.attrib.pop("t", None)
        etree.SubElement(c, _V).text = _number_text(value)

    def set_cached(self, coord: str, value: float | None) -> None:
        c = self.cell(coord, create=False)
        if c is None or c.find(_F) is None:
            return
        v = c.find(_V)
        if value is None:
            if v is not None:
                c.remove(v)
            return
        if v is None:
            v = etree.SubElement(c, _V)
        c.attrib.pop("t", None)
        v.text = _number_text(value)

    def formula_cells(self) -> list[str]:
        return [c.get("r", "") for c in self.data.iter(_C) if c.find(_F) is not None]

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _full_calc(workbook_xml: bytes) -> bytes:
    root = etree.fromstring(workbook_xml)
    calc = root.find(f"{{{MAIN}}}calcPr")
    if calc is None:
        calc = etree.Element(f"{{{MAIN}}}calcPr")
        anchor = None
        for name in ("sheets", "functionGroups", "externalReferences", "definedNames"):
            found = root.find(f"{{{MAIN}}}{name}")
            if found is not None:
                anchor = found
        if anchor is not None:
            anchor.addnext(calc)
        else:
            root.append(calc)
    calc.set("fullCalcOnLoad", "1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fill_schedule(
    source: Path, target: Path, schedule: Schedule, prices: Mapping[str, float | None]
) -> ScheduleReport:
    """Write `prices` (line key → € HT) into a copy of `source` at `target`; `source` is never changed."""
    if target.resolve() == source.resolve():
        raise InvalidInput("Le bordereau rempli doit être une copie : choisissez un autre dossier.")
    report = ScheduleReport(schedule.file_name, schedule.kind, lines=len(schedule.lines))
    given = {k: float(v) for k, v in prices.items() if v is not None}
    to_write: dict[str, dict[str, float]] = {}
    written: dict[str, float] = {}
    for ln in schedule.lines:
        if ln.key not in given or ln.cell in schedule.protected.get(ln.sheet, set()):
            continue
        to_write.setdefault(ln.sheet, {})[ln.cell] = written[ln.key] = given[ln.key]
    for sheet, locked in schedule.protected.items():
        blocked = sorted(c for c in locked if f"{sheet}!{c}" in given)
        if blocked:
            report.warnings.append(
                f"{schedule.file_name} : la feuille « {sheet} » est protégée et ses cellules de prix "
                f"{', '.join(blocked[:5])}{'…' if len(blocked) > 5 else ''} sont verrouillées ; Maître AO ne "
                "les a pas écrites. Saisissez ces prix dans Excel avec le mot de passe de l'acheteur, "
                "ou demandez-lui un bordereau modifiable."
            )
    computation: Computation = compute(schedule, written)
    with zipfile.ZipFile(source) as zf:
        parts = sheet_parts(zf)
        replaced: dict[str, bytes] = {}
        for sheet, cells in to_write.items():
            part = parts.get(sheet)
            if part is None or part not in zf.namelist():
                report.warnings.append(
                    f"{schedule.file_name} : feuille « {sheet} » introuvable dans le classeur."
                )
                continue
            xml = _SheetXml(zf.read(part))
            for coord, value in cells.items():
                xml.set_number(coord, value)
                report.written += 1
            for coord in xml.formula_cells():
                try:
                    value = computation.evaluator.value(sheet, coord)
                except Unsupported:
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    xml.set_cached(coord, float(value))
            replaced[part] = xml.bytes()
        replaced["xl/workbook.xml"] = _full_calc(zf.read("xl/workbook.xml"))
    target.parent.mkdir(parents=True, exist_ok=True)
    rewrite_package(source, target, replaced)
    report.missing = computation.missing
    report.line_differences = [c for c in computation.lines if c.differs]
    report.total_checks = computation.totals
    report.total = computation.total if schedule.has_quantities else None
    report.periodic = any(ln.periodic for ln in schedule.lines)
    if report.missing:
        report.warnings.append(
            f"{schedule.file_name} : {len(report.missing)} ligne(s) sans prix sur {len(schedule.lines)} "
            f"(première : « {report.missing[0].designation} », cellule {report.missing[0].key})."
        )
    entries = [ln for ln in schedule.lines if ln.entry]
    report.left_empty = [(ln.sheet, ln.cell, ln.designation) for ln in entries if ln.key not in given]
    for ln in entries:
        if ln.key in given and norm(ln.designation).startswith("total"):
            report.stated_total = (ln.cell, ln.designation, given[ln.key])
    if report.left_empty:
        shown = "; ".join(
            f"{cell} « {label[:60]}{'…' if len(label) > 60 else ''} »"
            for _, cell, label in report.left_empty[:5]
        )
        more = f" et {len(report.left_empty) - 5} autre(s)" if len(report.left_empty) > 5 else ""
        report.warnings.append(
            f"{schedule.file_name} : {len(report.left_empty)} case(s) que l'acheteur réserve au candidat (de la "
            f"couleur des cases de prix) restent vides : {shown}{more}. Complétez-les dans le tableur avant "
            "le dépôt : un bordereau incomplet peut rendre l'offre irrégulière."
        )
    for d in report.line_differences[:10]:
        report.warnings.append(
            f"{schedule.file_name}, ligne « {d.designation} » ({d.key}) : la formule de l'acheteur donne "
            f"{euros(d.buyers)}, notre calcul quantité × prix unitaire {euros(d.ours)}."
        )
    for t in report.total_differences:
        report.warnings.append(
            f"{schedule.file_name}, {t.label} ({t.sheet}!{t.cell}) : la formule de l'acheteur donne "
            f"{euros(t.buyers)}, la somme des lignes {euros(t.ours)}."
        )
    log.info(
        "schedule filled: %d prices written, %d missing, %d line differences",
        report.written,
        len(report.missing),
        len(report.line_differences),
    )
    return report
