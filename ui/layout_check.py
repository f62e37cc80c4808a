"""Clipped text and stray empty bands on screen (issue 16): used by the tour (`python -m ui.tour
--check`) and the tests.

A label, button or check box is clipped when it is given less room than its text needs: a one-line
one narrower than its size hint, a word-wrapped label lower than the height its text takes at its
width (`clipped_texts`). A table, tree or list cell is cut when its delegate needs more room than the
cell has and no tooltip gives the whole text; a column title when it is wider than its column
(`elided_cells`). A table row is loose when it is two lines higher than its tallest cell needs
(`loose_rows`). Only widgets a user can see count (visible, in the window walked, not scrolled away)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

# A pixel of rounding between the hint and the layout's share is not a clipped text.
TOLERANCE_PX = 1


def _shown_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return "" if widget.pixmap() is not None and not widget.pixmap().isNull() else widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    return ""


def _inside_item_view(widget: QWidget) -> bool:
    """Editors and index widgets of tables are sized by their cell, not by a layout."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def clipped(widget: QWidget) -> str:
    """Why `widget` clips its text ('' when it does not)."""
    text = _shown_text(widget).strip()
    if not text or not widget.isVisible() or _inside_item_view(widget):
        return ""
    width, height = widget.width(), widget.height()
    if isinstance(widget, QLabel) and widget.wordWrap():
        needed = widget.heightForWidth(width)
        if needed > height + TOLERANCE_PX:
            return f"{needed - height} px trop bas ({width}×{height}, il faut {needed} de haut)"
        return ""
    hint = widget.sizeHint()
    if hint.width() > width + TOLERANCE_PX:
        return f"{hint.width() - width} px trop étroit ({width}×{height}, il faut {hint.width()} de large)"
    if isinstance(widget, QLabel) and hint.height() > height + TOLERANCE_PX:
        return f"{hint.height() - height} px trop bas ({width}×{height}, il faut {hint.height()} de haut)"
    return ""


def clipped_texts(root: QWidget) -> list[str]:
    """Every clipped label, push button and check box of the window `root`, described for a report."""
    if not root.isVisible():
        return []
    found: list[str] = []
    widgets: list[QWidget] = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not isinstance(widget, QLabel | QPushButton | QCheckBox) or widget.window() is not root:
            continue
        why = clipped(widget)
        if why:
            name = widget.objectName() or widget.accessibleName()
            label = f"{type(widget).__name__}{'#' + name if name else ''}"
            found.append(f"{label} {_shown_text(widget).strip()[:60]!r} : {why}")
    return found


def _cell_cut(view: QAbstractItemView, index: QModelIndex, rect: QRect) -> str:
    """Measured by the view's own delegate, as it draws the cell (font, icon, margins, wrapping)."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = rect
    wraps = bool(getattr(view, "wordWrap", lambda: False)())
    if wraps:
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
    needed = view.itemDelegateForIndex(index).sizeHint(option, index)
    if not wraps and needed.width() > rect.width() + TOLERANCE_PX:
        return f"{needed.width() - rect.width()} px trop étroite"
    if needed.height() > rect.height() + TOLERANCE_PX:
        return f"{needed.height() - rect.height()} px trop basse"
    return ""


def _view_name(view: QWidget) -> str:
    return view.accessibleName() or view.objectName() or type(view).__name__


def _cut_headers(header: QHeaderView, model: QAbstractItemModel, columns: int) -> list[str]:
    """Column titles wider than their column (the header draws them cropped or elided)."""
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    cut: list[str] = []
    for section in range(columns):
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "").strip()
        if not text or header.isSectionHidden(section):
            continue
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        size = header.sectionSize(section)
        if needed > size + TOLERANCE_PX:
            cut.append(f"en-tête {section + 1} {text[:50]!r} : {needed - size} px trop étroit")
    return cut


def elided_cells(root: QWidget, max_rows: int = 200) -> list[str]:
    """Cells of the visible tables, trees and lists of `root` whose text is cut (elided or cropped)
    with no tooltip giving it whole: the user cannot read them."""
    found: list[str] = []
    for view in root.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView) or not view.isVisible() or view.window() is not root:
            continue
        model, viewport = view.model(), view.viewport().rect()
        if model is None:
            continue
        columns = 1 if isinstance(view, QListView) else model.columnCount()
        header = getattr(view, "horizontalHeader", getattr(view, "header", lambda: None))()
        if isinstance(header, QHeaderView) and header.isVisible():
            found += [f"{_view_name(view)} {h}" for h in _cut_headers(header, model, columns)]
        for row in range(min(model.rowCount(), max_rows)):
            for column in range(columns):
                index = model.index(row, column)
                text = str(index.data(Qt.ItemDataRole.DisplayRole) or "").strip()
                rect = view.visualRect(index)
                if not text or not rect.isValid() or not viewport.contains(rect):
                    continue  # empty, hidden, or scrolled away (partly shown rows are the scroll's)
                tooltip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
                if " ".join(text.split()) in " ".join(tooltip.split()):
                    continue
                why = _cell_cut(view, index, rect)
                if why:
                    found.append(
                        f"{_view_name(view)} ligne {row + 1} colonne {column + 1} {text[:50]!r} : {why}"
                    )
    return found


def loose_rows(root: QWidget, max_rows: int = 200) -> list[str]:
    """Table rows much higher than their tallest cell needs (at least two empty lines): a stray
    empty band inside the table (rows sized while the table was still narrow, say)."""
    found: list[str] = []
    for view in root.findChildren(QTableView):
        if not view.isVisible() or view.window() is not root or view.model() is None:
            continue
        model, viewport = view.model(), view.viewport().rect()
        slack = 2 * QFontMetrics(view.font()).lineSpacing()
        for row in range(min(model.rowCount(), max_rows)):
            height = view.rowHeight(row)
            first = view.visualRect(model.index(row, 0))
            if height <= 0 or not viewport.contains(first.topLeft()):
                continue  # hidden or scrolled away
            needed = 0
            for column in range(model.columnCount()):
                if view.isColumnHidden(column):
                    continue
                index = model.index(row, column)
                option = QStyleOptionViewItem()
                option.initFrom(view)
                option.rect = view.visualRect(index)
                if view.wordWrap():
                    option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
                needed = max(needed, view.itemDelegateForIndex(index).sizeHint(option, index).height())
                widget = view.indexWidget(index)
                if widget is not None:
                    needed = max(needed, widget.sizeHint().height())
            if needed and height > needed + slack:
                found.append(
                    f"{_view_name(view)} ligne {row + 1} : {height - needed} px vides ({height} px de haut)"
                )
    return found
