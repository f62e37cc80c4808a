"""A small evaluator for the arithmetic formulas of price schedules (=C20*D20, =SUM(E20:E33), =D73*12,
='BPU'!E20, ROUND…), so the export can check the buyer's formulas against its own sums and write
correct cached values. Anything else (text functions, lookups, comparisons) is `Unsupported`: the cell
is then left to the spreadsheet's own recalculation (forced at opening)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from openpyxl.utils.cell import column_index_from_string, get_column_letter

Cells = Mapping[str, Mapping[str, Any]]  # sheet title → coordinate → value ("=…" for formulas)


class Unsupported(Exception):
    pass


_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
    |(?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z0-9_.]+)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
    |(?P<func>[A-Za-z][A-Za-z0-9._]*)\(
    |(?P<str>"(?:[^"]|"")*")
    |(?P<op>[-+*/^(),;%])
    )""",
    re.VERBOSE,
)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise Unsupported(text[pos:])
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def split_cell(coord: str) -> tuple[int, int]:
    """'C20' → (20, 3)."""
    m = _CELL.fullmatch(coord)
    if m is None:
        raise Unsupported(coord)
    return int(m.group(2)), column_index_from_string(m.group(1).upper())


def cell_name(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


class Evaluator:
    """Values of the cells of one workbook, with `overrides` (our prices) in place of the stored ones."""

    def __init__(self, cells: Cells, overrides: Mapping[tuple[str, str], float] | None = None) -> None:
        self.cells = cells
        self.overrides = dict(overrides or {})
        self._memo: dict[tuple[str, str], Any] = {}
        self._busy: set[tuple[str, str]] = set()

    def value(self, sheet: str, coord: str) -> Any:
        """A number, a text or None (empty); raises Unsupported for what it cannot compute."""
        key = (sheet, coord)
        if key in self.overrides:
            return self.overrides[key]
        if key in self._memo:
            return self._memo[key]
        raw = self.cells.get(sheet, {}).get(coord)
        if isinstance(raw, str) and raw.startswith("="):
            if key in self._busy:
                raise Unsupported("circular reference")
            self._busy.add(key)
            try:
                result = _Parser(self, sheet, raw[1:]).parse()
            except (RecursionError, ZeroDivisionError, OverflowError) as exc:
                raise Unsupported(str(exc)) from exc
            finally:
                self._busy.discard(key)
            if isinstance(result, list):
                raise Unsupported("range as a value")
        elif raw is None or isinstance(raw, (int, float, str)):
            result = raw
        else:  # array formulas, dates…
            raise Unsupported(type(raw).__name__)
        self._memo[key] = result
        return result

    def number(self, sheet: str, coord: str) -> float:
        return _as_number(self.value(sheet, coord))


def _as_number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    raise Unsupported(f"text in arithmetic: {value!r}")


def _numbers(values: list[Any]) -> Iterator[float]:
    """What SUM-like functions count: numbers only (text and empty cells ignored, like Excel)."""
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            yield float(v)


def _round(args: list[Any]) -> float:
    if len(args) != 2:
        raise Unsupported("ROUND arity")
    x, n = _as_number(args[0]), int(_as_number(args[1]))
    scaled = abs(x) * 10**n
    return math.copysign(math.floor(scaled + 0.5 + 1e-9) / 10**n, x)  # Excel rounds half away from zero


def _flat(args: list[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        if isinstance(a, list):
            out.extend(a)
        else:
            out.append(_as_number(a))
    return out


_FUNCTIONS: dict[str, Callable[[list[Any]], float]] = {
    "SUM": lambda args: math.fsum(_numbers(_flat(args))),
    "PRODUCT": lambda args: math.prod(_numbers(_flat(args))),
    "MIN": lambda args: min(_numbers(_flat(args)), default=0.0),
    "MAX": lambda args: max(_numbers(_flat(args)), default=0.0),
    "ABS": lambda args: abs(_as_number(args[0])),
    "ROUND": _round,
}


class _Parser:
    def __init__(self, ev: Evaluator, sheet: str, text: str) -> None:
        self.ev = ev
        self.sheet = sheet
        self.tokens = _tokens(text)
        self.i = 0

    def parse(self) -> Any:
        value = self._expr()
        if self.i != len(self.tokens):
            raise Unsupported("trailing tokens")
        return value

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        tok = self._peek()
        if tok is None:
            raise Unsupported("unexpected end")
        self.i += 1
        return tok

    def _op(self, *ops: str) -> str | None:
        tok = self._peek()
        if tok is not None and tok[0] == "op" and tok[1] in ops:
            self.i += 1
            return tok[1]
        return None

    def _expr(self) -> Any:
        left = self._term()
        while (op := self._op("+", "-")) is not None:
            right = _as_number(self._term())
            left = _as_number(left) + right if op == "+" else _as_number(left) - right
        return left

    def _term(self) -> Any:
        left = self._power()
        while (op := self._op("*", "/")) is not None:
            right = _as_number(self._power())
            left = _as_number(left) * right if op == "*" else _as_number(left) / right
        return left

    def _power(self) -> Any:
        left = self._unary()
        while self._op("^") is not None:
            left = _as_number(left) ** _as_number(self._unary())
        return left

    def _unary(self) -> Any:
        if self._op("-") is not None:
            return -_as_number(self._unary())
        if self._op("+") is not None:
            return _as_number(self._unary())
        value = self._primary()
        while self._op("%") is not None:
            value = _as_number(value) / 100
        return value

    def _primary(self) -> Any:
        kind, text = self._take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self._ref(text)
        if kind == "func":
            name = text.upper()
            args: list[Any] = []
            if self._op(")") is None:
                while True:
                    args.append(self._expr())
                    if self._op(")") is not None:
                        break
                    if self._op(",", ";") is None:
                        raise Unsupported("argument list")
            fn = _FUNCTIONS.get(name)
            if fn is None:
                raise Unsupported(name)
            return fn(args)
        if kind == "op" and text == "(":
            value = self._expr()
            if self._op(")") is None:
                raise Unsupported("parenthesis")
            return value
        raise Unsupported(text)

    def _ref(self, text: str) -> Any:
        sheet = self.sheet
        if "!" in text:
            prefix, text = text.rsplit("!", 1)
            sheet = prefix[1:-1].replace("''", "'") if prefix.startswith("'") else prefix
            if sheet not in self.ev.cells:
                raise Unsupported(f"sheet {sheet}")
        if ":" not in text:
            row, col = split_cell(text)
            return self.ev.value(sheet, cell_name(row, col))
        start, end = text.split(":")
        r1, c1 = split_cell(start)
        r2, c2 = split_cell(end)
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 2_000_000:
            raise Unsupported("range too large")
        present = self.ev.cells.get(sheet, {})
        values: list[Any] = []
        for r in range(min(r1, r2), max(r1, r2) + 1):
            for c in range(min(c1, c2), max(c1, c2) + 1):
                coord = cell_name(r, c)
                if coord in present or (sheet, coord) in self.ev.overrides:
                    values.append(self.ev.value(sheet, coord))
        return values
