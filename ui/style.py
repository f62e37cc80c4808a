"""Appearance (clair / sombre / système), Qt's French catalogue and French formatting of dates."""

from __future__ import annotations

import logging
from datetime import date, datetime

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from app.domain.french import long_date, parse_when, short_date
from ui.french_gaps import GAPS_QM

log = logging.getLogger(__name__)

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)

THEMES = {"light": "Clair", "dark": "Sombre", "system": "Système"}

# Verdict/coverage colours readable on both themes.
GOOD = QColor("#2e7d32")
WARN = QColor("#b26a00")
BAD = QColor("#c62828")
MARKER_BG = QColor("#ffe082")


def install_french(app: QApplication) -> list[QTranslator]:
    """French locale for dates/numbers and Qt's own French catalogue for its dialogs and buttons."""
    QLocale.setDefault(FRENCH)
    translators: list[QTranslator] = []
    if app.property("maitre_ao_french"):
        return translators  # already installed on this application
    app.setProperty("maitre_ao_french", True)
    # Qt asks the translator installed last first: the gaps go first so qtbase_fr keeps the lead.
    gaps = QTranslator(app)
    if gaps.load(str(GAPS_QM)):
        app.installTranslator(gaps)
        translators.append(gaps)
    else:
        log.warning(
            "Qt French gaps catalogue %s not found: some of Qt's dialog labels stay in English", GAPS_QM
        )
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # qtbase_fr holds every string of the widgets and dialogs the app uses (qt_fr.qm is a meta
    # catalogue that also needs the modules' catalogues the packaged app does not ship).
    for name in ("qtbase_fr",):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            translators.append(tr)
        else:
            log.warning("Qt French catalogue %s not found in %s: Qt's dialogs stay in English", name, folder)
    return translators


def _dark_palette() -> QPalette:
    p = QPalette()
    base, alt, text = QColor("#1f2124"), QColor("#2a2d31"), QColor("#e6e6e6")
    p.setColor(QPalette.ColorRole.Window, QColor("#26292d"))
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, alt)
    p.setColor(QPalette.ColorRole.ToolTipBase, alt)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8f96"))
    p.setColor(QPalette.ColorRole.Button, QColor("#30343a"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor("#ff6b6b"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#3d7bd9"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#7fb2ff"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#f4f5f7"))
    p.setColor(QPalette.ColorRole.WindowText, QColor("#1d1f23"))
    p.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f0f2f5"))
    p.setColor(QPalette.ColorRole.Text, QColor("#1d1f23"))
    p.setColor(QPalette.ColorRole.Button, QColor("#e9ebef"))
    p.setColor(QPalette.ColorRole.ButtonText, QColor("#1d1f23"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd0"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#1f5bb5"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor("#1d1f23"))
    return p


def effective_theme(theme: str) -> str:
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply light, dark or the system's scheme; returns the effective one."""
    app.setStyle("Fusion")
    eff = effective_theme(theme)
    app.setPalette(_dark_palette() if eff == "dark" else _light_palette())
    app.setProperty("maitre_ao_theme", eff)
    app.setStyleSheet(
        "QListWidget#sidebar { border: none; font-size: 14px; padding-top: 8px; }"
        "QListWidget#sidebar::item { padding: 10px 14px; }"
        "QLabel#pageTitle { font-size: 20px; font-weight: 600; }"
        "QLabel#muted { color: palette(placeholder-text); }"
        "QFrame#card { border: 1px solid palette(mid); border-radius: 6px; }"
    )
    return eff


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()  # type: ignore[assignment]
    return bool(app is not None and app.property("maitre_ao_theme") == "dark")


def fr_date(value: str | date | datetime | None, with_time: bool = True) -> str:
    """'mercredi 15 juillet 2026 à 12:00' — French long format; '—' when absent."""
    when = parse_when(value) if isinstance(value, str) or value is None else value
    if when is None:
        return str(value) if value else "—"
    if isinstance(when, datetime):
        day = long_date(when.date())
        return f"{day} à {when:%H:%M}" if with_time else day
    return long_date(when)


def fr_short_date(value: str | date | None) -> str:
    when = parse_when(value) if isinstance(value, str) or value is None else value
    if when is None:
        return "—"
    return short_date(when.date() if isinstance(when, datetime) else when)


def fr_number(value: float, decimals: int = 0) -> str:
    return FRENCH.toString(float(value), "f", decimals)


def fr_money(value: float | None) -> str:
    return "—" if value is None else f"{fr_number(value, 2)} €"


def countdown(value: str | None, now: datetime | None = None) -> str:
    """'dans 3 j 4 h', 'dépassée'."""
    when = parse_when(value)
    if when is None:
        return ""
    if not isinstance(when, datetime):
        when = datetime(when.year, when.month, when.day, 23, 59)
    now = now or (datetime.now(when.tzinfo) if when.tzinfo else datetime.now())
    delta = when - now
    secs = int(delta.total_seconds())
    if secs < 0:
        return "dépassée"
    days, rem = divmod(secs, 86400)
    hours = rem // 3600
    return f"dans {days} j {hours} h" if days else f"dans {hours} h {(rem % 3600) // 60} min"
