"""Clipped text on screen (issue 16): used by the tour (`python -m ui.tour --check`) and the tests.

A label, button or check box is clipped when it is given less room than its text needs: a one-line
one narrower than its size hint, a word-wrapped label lower than the height its text takes at its
width. Only widgets a user can see count (visible, inside a visible window, not scrolled away)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QCheckBox, QLabel, QPushButton, QWidget

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
