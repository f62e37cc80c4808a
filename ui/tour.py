"""`python -m ui.tour OUTDIR [--size 1920x1080] [--scale 1.5] [--check]`: the app offscreen on a
temporary store with the example consultation, one PNG per screen and tab, in the light and the dark
theme. It is how the UI gets reviewed.

`--size` is the screen in physical pixels and `--scale` its scaling (QT_SCALE_FACTOR): the main window
fills the screen (1280×800 at 100 % by default; 1920×1080 at 150 % is a 1280×720 window drawn at 1.5
pixel per point). `--check` looks at every screen as it is captured: clipped text (ui.layout_check),
internal codes and Qt's English words (tests/ui/visible_text.py); they are listed and the exit code is 1.

Uses the file-backed test keychain (tests.support.keyrings.FileKeyring) in the temporary folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.services.account import ConflictRow

ScreenCheck = Callable[[str, "QWidget"], list[str]]


@dataclass(frozen=True)
class TourOptions:
    """The screen the tour is drawn for: its size in physical pixels and its scaling."""

    width: int = 1280
    height: int = 800
    scale: float = 1.0
    checks: list[ScreenCheck] = field(default_factory=list)

    @property
    def window_size(self) -> tuple[int, int]:
        """The main window fills the screen, in the logical pixels the widgets are laid out in."""
        return round(self.width / self.scale), round(self.height / self.scale)


def _prepare_environment(home: Path, scale: float = 1.0) -> None:
    if scale != 1.0:  # read when the QApplication is created
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
        os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "1"
    os.environ["MAITRE_AO_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.keyrings.FileKeyring"
    os.environ["MAITRE_AO_TEST_KEYRING"] = str(home / "keyring.json")
    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)


def run_tour(out: Path, options: TourOptions | None = None) -> tuple[list[Path], list[str]]:
    """The PNGs written, and what the checks of `options` found on each screen."""
    from PySide6.QtWidgets import QApplication

    from app.domain.paths import example_dir
    from ui.backend import BlockRow
    from ui.first_run import FirstRunDialog
    from ui.main import create_application, example_zip, make_context
    from ui.main_window import MainWindow, Page
    from ui.style import apply_theme

    options = options or TourOptions()
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    ctx = make_context(app)
    shots: list[Path] = []
    problems: list[str] = []

    def settle() -> None:
        ctx.runner.wait_idle(120)
        for _ in range(5):
            app.processEvents()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)
        for check in options.checks:
            problems.extend(f"[{name}] {p}" for p in check(name, widget))

    # First run, page by page (the store is really created on the "create" step), light theme.
    apply_theme(app, "light")
    dlg = FirstRunDialog(ctx.backend, ctx.runner)
    dlg.resize(720, 520)
    dlg.show()
    names = ["light-premier-lancement-1-bienvenue", "light-premier-lancement-2-coffre"]
    for i, name in enumerate(names):
        dlg.pages.setCurrentIndex(i)
        shot(dlg, name)
    dlg._do_create()
    settle()
    shot(dlg, "light-premier-lancement-3-cle-de-secours")
    dlg.pages.setCurrentIndex(3)
    dlg.p_name.setText("Bâtiments du Val SARL")
    dlg.p_siret.setText("732 829 320 00075")  # a typo: the check shows it as typed
    shot(dlg, "light-premier-lancement-4-entreprise-siret-invalide")
    dlg.p_siret.setText("732 829 320 00074")
    shot(dlg, "light-premier-lancement-4-entreprise")
    dlg.pages.setCurrentIndex(4)
    shot(dlg, "light-premier-lancement-5-exemple")
    dlg.close()

    ctx.runner.call(lambda: ctx.backend.import_profile(example_dir() / "profile.json"))
    ctx.runner.call(
        lambda: ctx.backend.save_block(
            BlockRow(
                uuid="",
                title="Démarche qualité, sécurité, environnement",
                tags="qse, sécurité",
                body="Notre démarche QSE s'appuie sur un plan d'assurance qualité propre à chaque chantier…",
            )
        )
    )
    window = MainWindow(ctx)
    window.resize(*options.window_size)
    window.show()
    view = window.consultation_view
    window.import_paths([example_zip()])
    settle()
    view.memoire.select_section(5)  # a leaf section: drafted text with its [à compléter : …] markers
    settle()
    view.export()  # the Documents tab then lists the files produced
    settle()

    def screens(theme: str) -> None:
        window.settings_page.set_theme(theme)
        settle()
        for listed, name in ((Page.DASHBOARD, "tableau-de-bord"), (Page.CONSULTATIONS, "consultations")):
            window.show_page(listed)
            shot(window, f"{theme}-{name}")
        window.open_consultation(view.uuid)
        settle()
        for i in range(view.tabs.count()):
            view.tabs.setCurrentIndex(i)
            shot(window, f"{theme}-consultation-{i + 1}-{_slug(view.tabs.tabText(i))}")
        view.tabs.setCurrentWidget(view.synthese)
        if view.synthese.open_source("deadline"):
            settle()
            view.viewer.resize(760, 600)
            shot(view.viewer, f"{theme}-source-surlignee")
            view.viewer.close()
        window.show_page(Page.PROFILE)
        for i in range(window.profile.tabs.count()):
            window.profile.tabs.setCurrentIndex(i)
            shot(window, f"{theme}-profil-{i + 1}-{_slug(window.profile.tabs.tabText(i))}")
        window.show_page(Page.LIBRARY)
        shot(window, f"{theme}-bibliotheque")
        window.show_page(Page.SETTINGS)
        for i in range(window.settings_page.stack.count()):
            window.settings_page.nav.setCurrentRow(i)
            shot(window, f"{theme}-parametres-{i + 1}-{_slug(window.settings_page.nav.item(i).text())}")
        # Conflicts come from a sync with another device; the tour runs without a server, so the
        # list, the status-bar indicator and the resolve view are shown with a sample copy.
        window.settings_page.show_account()
        page = window.settings_page.account
        settle()
        page.conflict_list.set_rows([_sample_conflict()])
        window._show_conflicts(1)
        shot(window, f"{theme}-parametres-2-compte-avec-conflit")
        page.open_conflict(page.conflict_list.rows[0])
        if page.conflict_dialog is not None:
            shot(page.conflict_dialog, f"{theme}-parametres-conflit-a-departager")
            page.conflict_dialog.reject()
        window._show_conflicts(0)
        page.email.setText("camille.durand@exemple.fr")
        page._delete_account()
        if page.delete_dialog is not None:
            page.delete_dialog.typed.setText("SUPPRIMER")
            page.delete_dialog.password.setText("mot-de-passe-exemple")
            shot(page.delete_dialog, f"{theme}-parametres-supprimer-mon-compte")
            page.delete_dialog.reject()
        window.settings_page.nav.setCurrentRow(0)

    screens("light")
    screens("dark")
    # The first run again in the dark theme (pages only: the store exists already).
    dark = FirstRunDialog(ctx.backend, ctx.runner)
    dark.resize(720, 520)
    dark.show()
    dark.recovery_key = dlg.recovery_key
    dark.key_label.setText(dlg.recovery_key)
    dark.p_name.setText("Bâtiments du Val SARL")
    dark.p_siret.setText("732 829 320 00074")
    for i, name in enumerate(("bienvenue", "coffre", "cle-de-secours", "entreprise", "exemple")):
        dark.pages.setCurrentIndex(i)
        shot(dark, f"dark-premier-lancement-{i + 1}-{name}")
    dark.close()
    window.settings_page.set_theme("system")
    window.close()
    ctx.runner.wait_idle(30)
    ctx.runner.call(ctx.backend.close)
    ctx.runner.shutdown()
    QApplication.processEvents()
    return shots, problems


def _sample_conflict() -> ConflictRow:
    from app.services.account import ConflictRow

    return ConflictRow(
        id=0,
        kind="bloc de bibliothèque",
        title="Démarche qualité, sécurité, environnement",
        local_text="Notre démarche QSE s'appuie sur un plan d'assurance qualité propre à chaque "
        "chantier, revu à chaque phase avec le conducteur de travaux.",
        server_text="Notre démarche QSE est certifiée MASE depuis 2021 ; chaque chantier a son PAQ.",
        created_at="2026-11-26T13:05:00+00:00",
    )


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def screen_checks() -> list[ScreenCheck]:
    """Clipped text, internal codes and Qt's English words on the window being captured."""
    from tests.ui.visible_text import english_words, raw_codes, visible_texts
    from ui.layout_check import clipped_texts, elided_cells, loose_rows

    def clipping(_name: str, widget: QWidget) -> list[str]:
        window = widget.window()
        return [f"texte coupé : {c}" for c in clipped_texts(window) + elided_cells(window)] + [
            f"zone vide : {r}" for r in loose_rows(window)
        ]

    def words(_name: str, widget: QWidget) -> list[str]:
        texts = visible_texts(widget.window())
        return raw_codes(texts) + english_words(texts)

    return [clipping, words]


def _size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv: list[str]) -> int:
    import argparse

    from app.cli.french_argparse import FrenchArgumentParser

    parser: argparse.ArgumentParser = FrenchArgumentParser(
        prog="python -m ui.tour", description="Une capture PNG de chaque écran, thème clair et sombre."
    )
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--size", type=_size, default=(1280, 800), help="écran en pixels, ex. 1920x1080")
    parser.add_argument("--scale", type=float, default=1.0, help="mise à l'échelle, ex. 1.5 pour 150 %%")
    parser.add_argument("--check", action="store_true", help="signale texte coupé, codes et anglais")
    args = parser.parse_args(argv)
    out = args.dossier.resolve()
    with tempfile.TemporaryDirectory(prefix="maitre-ao-tour-") as tmp:
        _prepare_environment(Path(tmp), args.scale)
        width, height = args.size
        options = TourOptions(width, height, args.scale, screen_checks() if args.check else [])
        shots, problems = run_tour(out, options)
    print(f"{len(shots)} captures dans {out} ({width}×{height}, échelle {args.scale:g})")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problème(s) à l'écran", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
