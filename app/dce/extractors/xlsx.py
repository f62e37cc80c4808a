"""XLSX, streamed: one page per sheet, one line per non-empty row, cached values of formulas.

The sheets' XML is read with the standard library's pull parser straight from the ZIP members, by the
rules openpyxl's read-only, data-only mode applies (`load_workbook(read_only=True, data_only=True)`,
`iter_rows(values_only=True)`, openpyxl 3.1), written out here so that the extraction process does
not load openpyxl (issue 13): the workbook's sheets in their order (hidden ones too, chart sheets
left out), shared and inline strings, numbers ("7" for 7.0, two decimals at most), booleans, dates
where the cell's number format is a date (styles.xml numFmts and cellXfs), the sheet's declared
dimension bounding what is read. The export side (filling buyer files) keeps openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import posixpath
import re
import time
import zipfile
from collections.abc import Iterator
from string import digits
from typing import IO, Any

from defusedxml.ElementTree import fromstring, iterparse

from app.dce.extractors.result import Extraction
from app.domain.document import PageText

log = logging.getLogger(__name__)

BROKEN = "Classeur Excel (XLSX) illisible ou endommagé."
MAX_ROWS = 100_000  # per sheet: a price schedule never needs more
MAX_CHARS = 4_000_000
MIB = 1024 * 1024
# The sheets are streamed but the shared strings are held whole: the XML is bounded.
MAX_XML_BYTES = 96 * MIB
MAX_SECONDS = 60.0

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_WORKBOOK_TYPES = [
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
]
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)

# openpyxl's built-in number formats that read as dates or times (styles/numbers.py), by id.
_BUILTIN_FORMATS = {
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
}  # fmt: skip
_STRIP_RE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_ISO_REGEX = re.compile(
    r"""
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?""",
    re.VERBOSE,
)
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")
_RANGE_RE = re.compile(
    r"^[$]?(?P<min_col>[A-Za-z]{1,3})?[$]?(?P<min_row>\d+)?(:[$]?(?P<max_col>[A-Za-z]{1,3})?[$]?(?P<max_row>\d+)?)?$"
)


def _xml_size(data: bytes) -> int:
    """Uncompressed size of the sheets and shared strings (what is parsed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(
            i.file_size
            for i in zf.infolist()
            if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml"
        )


def too_big(size: int, limit: int = MAX_XML_BYTES) -> str:
    return (
        f"Classeur Excel (XLSX) trop volumineux pour être lu ({size // MIB} Mo de données XML, au-delà de "
        f"{limit // MIB} Mo) : stocké, non lu."
    )


def too_slow(seconds: float) -> str:
    return f"Classeur Excel (XLSX) trop long à lire (plus de {seconds:.0f} s) : stocké, non lu."


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


# --- openpyxl's value rules (utils/cell.py, utils/datetime.py, styles/numbers.py) -----------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(col: str) -> int:
    error = f"'{col}' is not a valid column name"
    if len(col) > 3:
        raise ValueError(error)
    idx = 0
    for letter, power in zip(reversed(col.upper()), (1, 26, 676), strict=False):
        if not "A" <= letter <= "Z":
            raise ValueError(error)
        idx += (ord(letter) - 64) * power
    if not 0 < idx < 18279:
        raise ValueError(error)
    return idx


def _column_of(coordinate: str) -> int:
    """openpyxl's `coordinate_to_tuple`: the row must be an int, only the column is used."""
    idx = 0
    for idx, c in enumerate(coordinate):  # noqa: B007 (the index where the digits start)
        if c in digits:
            break
    int(coordinate[idx:])
    return _column_index(coordinate[:idx])


def _range_boundaries(ref: str) -> tuple[int | None, int | None, int | None, int | None]:
    m = _RANGE_RE.match(ref)
    if not m:
        raise ValueError(f"{ref} is not a valid coordinate or range")
    min_col, min_row, sep, max_col, max_row = m.groups()
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or (all(cols) and not any(rows)) or (all(rows) and not any(cols))):
            raise ValueError(f"{ref} is not a valid coordinate or range")
    c0 = _column_index(min_col) if min_col is not None else None
    r0 = int(min_row) if min_row is not None else None
    c1 = _column_index(max_col) if max_col is not None else c0
    r1 = int(max_row) if max_row is not None else r0
    return c0, r0, c1, r1


def _is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    fmt = _STRIP_RE.sub("", fmt.split(";")[0])
    return re.search(r"(?<![_\\])[dmhysDMHYS]", fmt) is not None


def _is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA_RE.search(fmt.split(";")[0]) is not None


def _cast_number(value: str) -> int | float:
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


def _from_excel(value: float, epoch: dt.datetime, timedelta: bool) -> object:
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _from_iso8601(text: str) -> object:
    if not text:
        return None
    match = _ISO_REGEX.match(text)
    if match and any(match.groups()):
        parts: dict[str, Any] = match.groupdict(0)
        for key in ["year", "month", "day", "hour", "minute", "second"]:
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return dt.time(parts["hour"], parts["minute"], parts["second"], parts["microsecond"])
        if not parts["time"]:
            return dt.date(parts["year"], parts["month"], parts["day"])
        del parts["time"], parts["date"]
        return dt.datetime(**parts)
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict(0).items()}
        return dt.timedelta(hours=parts["hours"], minutes=parts["minutes"], seconds=parts["seconds"])
    raise ValueError(f"Invalid datetime value {text}")


def _text_content(node: Any) -> str:
    """openpyxl's `Text.content`: the plain text (<t>) then each rich run's text (<r><t>)."""
    plain: str | None = None
    runs: list[str] = []
    for el in node:
        tag = _local(el.tag)
        if tag == "t":
            plain = el.text
        elif tag == "r":
            run: str | None = None
            for sub in el:
                if _local(sub.tag) == "t":
                    run = sub.text
            if run is not None:
                runs.append(run)
    return "".join(([plain] if plain is not None else []) + runs)


# --- the workbook ------------------------------------------------------------------------------


class _Workbook:
    """What openpyxl's read-only loading learns before any row: sheets, strings, date styles."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        names = set(zf.namelist())
        overrides: list[tuple[str, str]] = []
        defaults: set[str] = set()
        for el in fromstring(zf.read("[Content_Types].xml")):
            if _local(el.tag) == "Override":
                overrides.append((el.get("PartName"), el.get("ContentType")))
            elif _local(el.tag) == "Default":
                defaults.add(el.get("ContentType"))
        workbook = next((p for t in _WORKBOOK_TYPES for p, c in overrides if c == t), None)
        if workbook is None:
            if not defaults & set(_WORKBOOK_TYPES):
                raise OSError("File contains no valid workbook part")
            workbook = "/xl/workbook.xml"
        strings = next((p for p, c in overrides if c == _SHARED_STRINGS), None)
        self.strings: list[str] = self._strings(strings[1:]) if strings is not None else []
        self.epoch, sheets = self._workbook(workbook[1:])
        self.date_styles, self.timedelta_styles = self._styles()
        rels = self._rels(workbook[1:])
        self.sheets: list[tuple[str, str, tuple[int | None, int | None]]] = []
        for name, rid in sheets:
            if not rid:
                continue
            kind, target = rels[rid]
            if target not in names or "chartsheet" in kind:
                continue
            self.sheets.append((name, target, self._size(target)))

    def _strings(self, path: str) -> list[str]:
        out: list[str] = []
        with self.zf.open(path) as src:
            for _, node in iterparse(src):
                if node.tag == f"{_MAIN}si":
                    out.append(_text_content(node).replace("x005F_", ""))
                    node.clear()
        return out

    def _workbook(self, path: str) -> tuple[dt.datetime, list[tuple[str, str | None]]]:
        root = fromstring(self.zf.read(path))
        epoch = _WINDOWS_EPOCH
        sheets: list[tuple[str, str | None]] = []
        for el in root:
            tag = _local(el.tag)
            if tag == "workbookPr":
                flag = el.get("date1904")
                if flag is not None and flag not in ("false", "f", "0"):
                    epoch = _MAC_EPOCH
            elif tag == "sheets":
                sheets += [(s.get("name"), s.get(_REL_ID)) for s in el if _local(s.tag) == "sheet"]
        return epoch, sheets

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        path = posixpath.join(folder, "_rels", f"{name}.rels")
        parent = posixpath.split(posixpath.dirname(path))[0]
        out: dict[str, tuple[str, str]] = {}
        for rel in fromstring(self.zf.read(path)):
            if _local(rel.tag) != "Relationship":
                continue
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = (
                    target[1:]
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(parent, target))
                )
            out[rel.get("Id")] = (rel.get("Type", ""), target)
        return out

    def _styles(self) -> tuple[set[int], set[int]]:
        """Indices (in cellXfs) of the styles whose number format is a date, and a duration."""
        try:
            root = fromstring(self.zf.read("xl/styles.xml"))
        except KeyError:
            return set(), set()
        custom: dict[int, str] = {}
        xfs: list[int] = []
        for el in root:
            tag = _local(el.tag)
            if tag == "numFmts":
                for fmt in el:
                    if _local(fmt.tag) == "numFmt":
                        custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
            elif tag == "cellXfs":
                xfs = [int(xf.get("numFmtId", 0)) for xf in el if _local(xf.tag) == "xf"]
        dates: set[int] = set()
        durations: set[int] = set()
        for idx, fmt_id in enumerate(xfs):
            fmt = custom[fmt_id] if fmt_id in custom else _BUILTIN_FORMATS.get(fmt_id)
            if _is_date_format(fmt):
                dates.add(idx)
            if _is_timedelta_format(fmt):
                durations.add(idx)
        return dates, durations

    def _size(self, path: str) -> tuple[int | None, int | None]:
        """The sheet's declared last column and last row (<dimension>), which bound the reading."""
        with self.zf.open(path) as src:
            for _, el in iterparse(src):
                if el.tag == f"{_MAIN}dimension":
                    _, _, max_col, max_row = _range_boundaries(el.get("ref"))
                    return max_col, max_row
                if el.tag == f"{_MAIN}sheetData":
                    break
                el.clear()
        return None, None

    def _value(self, c: Any) -> object:
        data_type = c.get("t", "n")
        style = c.get("s", 0)
        style_id = int(style) if style else 0
        if data_type == "inlineStr":
            child = c.find(f"{_MAIN}is")
            return _text_content(child) if child is not None else None
        value = c.findtext(f"{_MAIN}v", None) or None
        if value is None:
            return None
        if data_type == "n":
            number = _cast_number(value)
            if style_id in self.date_styles:
                try:
                    return _from_excel(number, self.epoch, style_id in self.timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if data_type == "s":
            return self.strings[int(value)]
        if data_type == "b":
            return bool(int(value))
        if data_type == "d":
            return _from_iso8601(value)
        return value

    def rows(self, path: str, max_col: int | None, max_row: int | None) -> Iterator[list[object]]:
        """The sheet's rows from the first, as openpyxl's `iter_rows(values_only=True)` gives them
        (a missing row is an empty one; a row's values by column, within the declared width)."""
        counter = 1
        idx = 1
        with self.zf.open(path) as src:
            for idx, cells in self._parsed_rows(src):
                if max_row is not None and idx > max_row:
                    break
                for _ in range(counter, idx):
                    counter += 1
                    yield []
                if counter <= idx:
                    counter += 1
                    yield self._placed(cells, max_col)
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield []

    def _parsed_rows(self, src: IO[bytes]) -> Iterator[tuple[int, list[tuple[int, object]]]]:
        row_counter = 0
        for _, el in iterparse(src):
            if el.tag != f"{_MAIN}row":
                continue
            r = el.get("r")
            if r is not None:
                try:
                    row_counter = int(r)
                except ValueError:
                    val = float(r)
                    if not val.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    row_counter = int(val)
            else:
                row_counter += 1
            col_counter = 0
            cells: list[tuple[int, object]] = []
            for c in el:
                coordinate = c.get("r")
                if coordinate:
                    col_counter = _column_of(coordinate)
                else:
                    col_counter += 1
                cells.append((col_counter, self._value(c)))
            el.clear()
            yield row_counter, cells

    @staticmethod
    def _placed(cells: list[tuple[int, object]], max_col: int | None) -> list[object]:
        if not cells and not max_col:
            return []
        width = max_col or cells[-1][0]
        row: list[object] = [None] * width
        for column, value in cells:
            if 1 <= column <= width:
                row[column - 1] = value
        return row


def extract_xlsx(
    data: bytes, *, max_xml_bytes: int = MAX_XML_BYTES, max_seconds: float = MAX_SECONDS
) -> Extraction:
    deadline = time.monotonic() + max_seconds
    try:
        size = _xml_size(data)
        if size > max_xml_bytes:
            log.info("xlsx over its reading budget")
            return Extraction("xlsx", paged=False, unread_reason=too_big(size, max_xml_bytes))
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:
        log.info("xlsx unreadable: %s", type(exc).__name__)
        return Extraction("xlsx", paged=False, error=BROKEN)
    pages: list[PageText] = []
    with zf:
        try:
            wb = _Workbook(zf)
        except Exception as exc:
            log.info("xlsx unreadable: %s", type(exc).__name__)
            return Extraction("xlsx", paged=False, error=BROKEN)
        try:
            for number, (title, path, (max_col, max_row)) in enumerate(wb.sheets, start=1):
                lines = [f"Feuille « {title} »"]
                size = 0
                for rows, row in enumerate(wb.rows(path, max_col, max_row)):
                    if rows >= MAX_ROWS or size >= MAX_CHARS:
                        break
                    if rows % 1000 == 0 and time.monotonic() > deadline:
                        log.info("xlsx over its reading time")
                        return Extraction("xlsx", paged=False, unread_reason=too_slow(max_seconds))
                    cells = [t for t in (cell_text(v) for v in row) if t]
                    if cells:
                        line = "\t".join(cells)
                        size += len(line)
                        lines.append(line)
                pages.append(PageText(number, "\n".join(lines)))
        except Exception as exc:
            log.info("xlsx sheet unreadable: %s", type(exc).__name__)
            if not pages:
                return Extraction("xlsx", paged=False, error=BROKEN)
    return Extraction("xlsx", pages, paged=False)
