"""Every text a user can see in a window or a dialog, and two checks on it (issue 16).

`visible_texts(widget)` walks a top-level widget and its visible children: labels, buttons, check
boxes and radio buttons, group box titles, tab texts, window titles, combo box items, the headers and
cell texts of item views (through their models), line and text edit contents and placeholders, menu
and action texts (tooltips on request). `raw_codes(texts)` finds an enum value of the core shown as
it is stored (`a_analyser`, `rc_pro`, `CADRE_REPONSE`…); `english_words(texts)` finds Qt's English
defaults ("Cancel", "Look in", "&Yes"…).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QTreeView,
    QWidget,
)

import app.domain
from app.domain.labels import ENUM_LABELS, PIECE_KIND_SHORT_LABELS

# Qt's own English texts (buttons of QMessageBox/QDialogButtonBox, QFileDialog, context menus).
QT_ENGLISH_DEFAULTS: tuple[str, ...] = (
    "Look in",
    "Files of type",
    "File name",
    "Folder",
    "Cancel",
    "Open",
    "Save",
    "Yes",
    "No",
    "Apply",
    "Close",
    "Discard",
    "Reset",
    "Restore Defaults",
    "Help",
    "Directory",
    "Back",
    "Forward",
    "Detail View",
    "List View",
    "Create New Folder",
    "&Yes",
    "&No",
    "Select All",
    "Copy",
    "Paste",
    "Undo",
    "Redo",
    "Cut",
    "Delete",
)

# Enum values that are also ordinary French words (or names): shown on their own in a cell they are a
# code ("AUTRE" in the Pièces kind column), inside a sentence they are the word ("une autre pièce").
_FRENCH_WORDS = {"autre", "annexe", "contrat", "perdue", "claude"}

# Rows of an item view read per view (a long CCTP list would only repeat the same kinds of cells).
MAX_ROWS = 200


@dataclass(frozen=True)
class Seen:
    """One text on screen and where it is (class and object name of its widget, what part)."""

    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r}"


def _where(widget: QWidget, part: str) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}{'#' + name if name else ''} {part}".strip()


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    if isinstance(model, QAbstractListModel):  # its columnCount is private in the binding
        return 1
    return model.columnCount(parent)


def _model_texts(model: QAbstractItemModel, widget: QWidget, parent: QModelIndex, depth: int) -> list[Seen]:
    seen: list[Seen] = []
    rows = min(model.rowCount(parent), MAX_ROWS)
    cols = _columns(model, parent)
    for r in range(rows):
        for c in range(cols):
            index = model.index(r, c, parent)
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if value not in (None, ""):
                seen.append(Seen(str(value), _where(widget, f"cell {r},{c}")))
        first = model.index(r, 0, parent)
        if depth < 4 and isinstance(widget, QTreeView) and model.hasChildren(first):
            seen += _model_texts(model, widget, first, depth + 1)
    return seen


def _view_texts(view: QAbstractItemView) -> list[Seen]:
    model = view.model()
    if model is None:
        return []
    seen: list[Seen] = []
    for orientation, header in (
        (Qt.Orientation.Horizontal, getattr(view, "horizontalHeader", lambda: None)()),
        (Qt.Orientation.Vertical, getattr(view, "verticalHeader", lambda: None)()),
        (Qt.Orientation.Horizontal, getattr(view, "header", lambda: None)()),
    ):
        if not isinstance(header, QHeaderView) or not header.isVisible():
            continue
        count = (
            _columns(model, QModelIndex()) if orientation is Qt.Orientation.Horizontal else model.rowCount()
        )
        for section in range(min(count, MAX_ROWS)):
            if header.isSectionHidden(section):
                continue
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if value not in (None, ""):
                seen.append(Seen(str(value), _where(view, f"header {section}")))
    return seen + _model_texts(model, view, QModelIndex(), 0)


def _own_texts(w: QWidget, tooltips: bool) -> list[Seen]:
    seen: list[Seen] = []

    def add(text: str | None, part: str) -> None:
        if text and text.strip():
            seen.append(Seen(text, _where(w, part)))

    if w.isWindow():
        add(w.windowTitle(), "window title")
    if isinstance(w, QLabel | QAbstractButton):  # labels; push, tool, check and radio buttons
        add(w.text(), "text")
    elif isinstance(w, QGroupBox):
        add(w.title(), "title")
    elif isinstance(w, QTabBar):
        for i in range(w.count()):
            if w.isTabVisible(i):
                add(w.tabText(i), f"tab {i}")
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            add(w.itemText(i), f"item {i}")
        if w.isEditable():
            add(w.currentText(), "text")
    elif isinstance(w, QLineEdit):
        add(w.text() if w.echoMode() == QLineEdit.EchoMode.Normal else "", "text")
        add(w.placeholderText(), "placeholder")
    elif isinstance(w, QTextEdit | QPlainTextEdit):
        add(w.toPlainText(), "text")
        add(w.placeholderText(), "placeholder")
    elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):  # headers: with their view
        seen += _view_texts(w)
    if isinstance(w, QMenu) or w.actions():
        for action in w.actions():
            if action.isVisible() and not action.isSeparator():
                add(action.text(), "action")
                if tooltips:
                    add(action.toolTip(), "action tooltip")
    if tooltips:
        add(w.toolTip(), "tooltip")
    return seen


def visible_texts(root: QWidget, *, tooltips: bool = False) -> list[Seen]:
    """Every text shown by `root` (when visible) and its visible descendants."""
    if not root.isVisible():
        return []
    seen = _own_texts(root, tooltips)
    for child in root.findChildren(QWidget):
        if child.isVisible() and child.window() is root:  # other windows are walked on their own
            seen += _own_texts(child, tooltips)
    return seen


def visible_windows() -> list[QWidget]:
    """The top-level widgets on screen (main window, dialogs, menus)."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def screen_texts(*, tooltips: bool = False) -> list[Seen]:
    return [s for w in visible_windows() for s in visible_texts(w, tooltips=tooltips)]


# --- checks -------------------------------------------------------------------------------
def _domain_enums() -> list[type[Enum]]:
    found: dict[str, type[Enum]] = {}
    for info in pkgutil.iter_modules(app.domain.__path__):
        module = importlib.import_module(f"app.domain.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Enum) and obj.__module__.startswith("app.domain") and obj is not Enum:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@cache
def _codes() -> tuple[frozenset[str], frozenset[str]]:
    """(codes never shown, codes that are also words): stored values of every enum of app.domain,
    without those a user reads as they are (RC, DC1, DUME: the abbreviation is in the labels)."""
    all_labels = [*ENUM_LABELS.values(), PIECE_KIND_SHORT_LABELS]
    labels_text = " ".join(str(v) for labels in all_labels for v in labels.values())
    label_words = set(re.findall(r"\w+", labels_text))
    always: set[str] = set()
    words: set[str] = set()
    for enum in _domain_enums():
        for member in enum:
            value = str(member.value)
            if not value or value in label_words:  # "RC", "DC1", "RIB", "Claude": shown as such
                continue
            if "_" not in value and _strip_accents(value).lower() in _FRENCH_WORDS:
                words.add(value)
            else:
                always.add(value)
    return frozenset(always), frozenset(words)


def _texts(texts: Iterable[Seen | str]) -> list[Seen]:
    return [t if isinstance(t, Seen) else Seen(t, "") for t in texts]


def raw_codes(texts: Iterable[Seen | str]) -> list[str]:
    """Enum values shown raw: a code as a whole word (`a_analyser`, `rc_pro`, `CADRE_REPONSE`), or a
    code that is also a French word standing alone as the whole text (`AUTRE` in a cell)."""
    always, words = _codes()
    alternatives = "|".join(sorted(map(re.escape, always), key=len, reverse=True))
    # A whole word, not part of a file name or a path ("kbis.pdf", "…/rib/").
    pattern = re.compile(r"(?<![\w\-./\\])(" + alternatives + r")(?![\w\-/\\]|\.\w)")
    found: list[str] = []
    for seen in _texts(texts):
        for match in pattern.finditer(seen.text):
            found.append(f"{seen} → code {match.group(1)!r}")
        if seen.text.strip() in words:
            found.append(f"{seen} → code {seen.text.strip()!r}")
    return found


def _without_mnemonics(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)


def english_words(texts: Iterable[Seen | str], defaults: Iterable[str] = QT_ENGLISH_DEFAULTS) -> list[str]:
    """Qt's English defaults shown as whole phrases ("Cancel", "Look in:", "&Yes")."""
    phrases = sorted({_without_mnemonics(d) for d in defaults}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'’-])(" + "|".join(map(re.escape, phrases)) + r")(?![\w'’-])")
    found: list[str] = []
    for seen in _texts(texts):
        for match in pattern.finditer(_without_mnemonics(seen.text)):
            found.append(f"{seen} → English {match.group(1)!r}")
    return found


def screen_problems(screen: str, *, tooltips: bool = False) -> list[str]:
    """Raw codes and English words on every visible window, each line prefixed by `screen`."""
    texts = screen_texts(tooltips=tooltips)
    found = raw_codes(texts) + english_words(texts)
    return [f"[{screen}] {p}" for p in dict.fromkeys(found)]  # once each (a tree repeats its rows)
