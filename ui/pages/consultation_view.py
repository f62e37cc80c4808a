"""One consultation: header (deadline, status, analysis) and the tabs Pièces, Synthèse, Go/No-Go,
Exigences, Mémoire, Prix, Documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.analysis import Analysis
from app.domain.paths import exports_dir
from app.domain.rows import ConsultationRow, PieceRow
from ui.backend import CheckRow, VersionRow
from ui.context import AppContext
from ui.operations import OpContext
from ui.pages.dashboard import STATUSES
from ui.pages.memoire import MemoireTab
from ui.pages.prix import PrixTab
from ui.pages.source_viewer import SourceViewer
from ui.pages.subcontractors import SubcontractorsTab
from ui.pages.synthese import SyntheseTab
from ui.pages.tabs import DocumentsTab, ExigencesTab, GoNoGoTab, PiecesTab
from ui.style import countdown, fr_date
from ui.widgets import OperationBar, run_in_turns

TABS = ("Pièces", "Synthèse", "Go/No-Go", "Exigences", "Mémoire", "Prix", "Sous-traitants", "Documents")


def export_folder(row: ConsultationRow) -> Path:
    name = re.sub(r"[^\w.-]+", "-", row.reference or row.title, flags=re.UNICODE).strip("-")[:60]
    return exports_dir() / (name or row.uuid)


class ConsultationView(QWidget):
    back_requested = Signal()
    message = Signal(str, str)
    loaded = Signal(str)
    exported = Signal(list)  # paths written
    previewed = Signal(str)  # first analysis shown while the import goes on
    version_shown = Signal(str)  # the Versions panel filled (hidden for a first version)
    status_shown = Signal(str)  # the status selector shows the stored status (code)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.uuid = ""
        self.row: ConsultationRow | None = None
        self.analysis: Analysis | None = None
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        back = QPushButton(self.tr("← Consultations"))
        back.setAccessibleName(self.tr("Retour à la liste des consultations"))
        back.clicked.connect(self.back_requested)
        head.addWidget(back)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Statut de la consultation"))
        for key, label in STATUSES.items():
            self.status.addItem(self.tr(label), key)
        self.status.activated.connect(self._status_changed)
        head.addWidget(self.status)
        lay.addLayout(head)
        sub = QHBoxLayout()
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        sub.addWidget(self.subtitle, 1)
        self.engine = QComboBox()
        self.engine.setAccessibleName(self.tr("Moteur d'analyse"))
        self.engine.addItem(self.tr("Hors ligne"), "offline")
        self.engine.addItem(self.tr("Hybride (hors ligne + Claude)"), "hybrid")
        self.engine.addItem(self.tr("Claude"), "claude")
        sub.addWidget(self.engine)
        self.analyze_button = QPushButton(self.tr("Relancer l'analyse"))
        self.analyze_button.clicked.connect(self.run_analysis)
        sub.addWidget(self.analyze_button)
        lay.addLayout(sub)
        self._version_panel(lay)
        self.op_bar = OperationBar()
        lay.addWidget(self.op_bar)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Onglets de la consultation"))
        self.pieces = PiecesTab()
        self.synthese = SyntheseTab()
        self.gonogo = GoNoGoTab()
        self.exigences = ExigencesTab()
        self.memoire = MemoireTab(ctx)
        self.prix = PrixTab(ctx.runner, lambda: ctx.backend.store)
        self.subcontractors = SubcontractorsTab(ctx)
        self.documents = DocumentsTab()
        for w, name in zip(
            (
                self.pieces,
                self.synthese,
                self.gonogo,
                self.exigences,
                self.memoire,
                self.prix,
                self.subcontractors,
                self.documents,
            ),
            TABS,
            strict=True,
        ):
            self.tabs.addTab(w, self.tr(name))
        lay.addWidget(self.tabs, 1)
        self._sync_switch()
        self.viewer = SourceViewer(ctx, self)

        self.synthese.source_requested.connect(self.open_source)
        self.gonogo.source_requested.connect(self.open_source)
        self.exigences.source_requested.connect(self.open_source)
        self.exigences.move_requested.connect(self.move_requirement)
        self.pieces.page_requested.connect(self.open_source)
        self.pieces.kind_changed.connect(self._kind_changed)
        self.synthese.correction_requested.connect(self._correct)
        self.documents.export_requested.connect(self.export)
        self.memoire.message.connect(self.message)
        self.prix.message.connect(self.message)
        self.subcontractors.message.connect(self.message)
        self.memoire.saved.connect(lambda _s: self._refresh_requirements())
        self.tabs.currentChanged.connect(self._tab_changed)

    # --- loading --------------------------------------------------------------------------
    def load(self, uuid: str) -> None:
        self.flush()
        if uuid != self.uuid:
            self.memoire_sync.setEnabled(False)
            self.version_box.hide()  # until this consultation's versions are read
        self.uuid = uuid
        backend = self.ctx.backend

        def work(_c: object) -> tuple[ConsultationRow, list[PieceRow], Analysis | None]:
            return backend.consultation(uuid), backend.pieces(uuid), backend.analysis(uuid)

        self.ctx.runner.run(
            self.tr("Ouverture de la consultation"), work, on_success=self._fill, on_failure=self._failed
        )

    def preview(self, uuid: str, analysis: Analysis) -> None:
        """The first analysis of an import still running: the Synthèse shows it at once (the store's
        worker is busy reading the other pieces; `load` fills every tab when the import ends)."""
        self.flush()
        self.uuid = uuid
        self.row = None
        self.analysis = analysis
        self.memoire_sync.setEnabled(False)
        self.version_box.hide()
        self.title.setText(analysis.object or self.tr("Nouvelle consultation"))
        bits = [analysis.buyer or "", analysis.reference and self.tr("réf. %s") % analysis.reference]
        if analysis.deadline:
            bits.append(
                self.tr("remise le %s (%s)") % (fr_date(analysis.deadline), countdown(analysis.deadline))
            )
        bits.append(self.tr("lecture des autres pièces en cours…"))
        self.subtitle.setText(" · ".join(b for b in bits if b))
        self.synthese.set_analysis(analysis)
        self.tabs.setCurrentWidget(self.synthese)
        # The other tabs still show the previous consultation (or nothing) until the import ends.
        for i in range(self.tabs.count()):
            self.tabs.setTabEnabled(i, self.tabs.widget(i) is self.synthese)
        self.previewed.emit(uuid)

    def _failed(self, message: str) -> None:
        for i in range(self.tabs.count()):
            self.tabs.setTabEnabled(i, True)
        self.title.setText(self.tr("Consultation indisponible"))
        self.subtitle.setText(message)

    def _fill(self, data: tuple[ConsultationRow, list[PieceRow], Analysis | None]) -> None:
        row, pieces, analysis = data
        self.row = row
        for i in range(self.tabs.count()):
            self.tabs.setTabEnabled(i, True)
        self.analysis = analysis
        self.title.setText(row.title)
        bits = [row.buyer, row.reference and self.tr("réf. %s") % row.reference]
        if row.deadline:
            bits.append(self.tr("remise le %s (%s)") % (fr_date(row.deadline), countdown(row.deadline)))
        self.subtitle.setText(" · ".join(b for b in bits if b))
        self._show_status(row.status)
        uuid = self.uuid
        # One tab per event-loop turn: the window keeps painting and answering while tabs fill.
        steps: list[Callable[[], object]] = [
            lambda: self.synthese.set_analysis(analysis),
            lambda: self.pieces.set_pieces(pieces),
            lambda: self.documents.set_folder(export_folder(row)),
            lambda: self.memoire.load(uuid, analysis.memoire_page_limit if analysis else None),
            self._load_sync_switch,
            self._load_version,
            self._refresh_checks,
            lambda: self.prix.load(uuid) if self.tabs.currentWidget() is self.prix else None,
            lambda: self.subcontractors.load(uuid),
            lambda: self.loaded.emit(uuid),
        ]
        run_in_turns(self, steps, lambda: self.uuid == uuid)

    def _show_status(self, status: str) -> None:
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        self.status_shown.emit(status)

    # --- versions (modificatifs) ----------------------------------------------------------
    def _version_panel(self, lay: QVBoxLayout) -> None:
        """Under the header, for a DCE imported as a new version: which consultation it replaces and
        what changed (deadline first), kept from the import."""
        self.version_box = QFrame()
        self.version_box.setObjectName("card")
        box = QVBoxLayout(self.version_box)
        box.setContentsMargins(8, 4, 8, 4)
        top = QHBoxLayout()
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        top.addWidget(self.version_label, 1)
        self.version_toggle = QPushButton(self.tr("Masquer les changements"))
        self.version_toggle.setCheckable(True)
        self.version_toggle.setChecked(True)
        self.version_toggle.toggled.connect(self._toggle_changes)
        top.addWidget(self.version_toggle)
        box.addLayout(top)
        self.version_changes = QLabel()
        self.version_changes.setWordWrap(True)
        self.version_changes.setAccessibleName(self.tr("Changements depuis la version précédente"))
        box.addWidget(self.version_changes)
        self.version_box.hide()
        lay.addWidget(self.version_box)

    def _toggle_changes(self, on: bool) -> None:
        self.version_changes.setVisible(on)
        self.version_toggle.setText(
            self.tr("Masquer les changements") if on else self.tr("Voir les changements")
        )

    def _load_version(self) -> None:
        backend, uuid = self.ctx.backend, self.uuid
        if not uuid:
            return

        def show(info: VersionRow | None) -> None:
            if self.uuid != uuid:
                return
            self.version_box.setVisible(info is not None)
            if info is not None:
                when = fr_date(info.imported_at, with_time=False) if info.imported_at else ""
                text = self.tr("Version {n} (modificatif) de « {title} »").format(
                    n=info.version, title=info.previous_title
                )
                if when:
                    text += self.tr(", importée le {date}").format(date=when)
                self.version_label.setText(text + " :")
                self.version_changes.setText("\n".join(f"• {line}" for line in info.changes))
            self.version_shown.emit(uuid)

        self.ctx.runner.run(self.tr("Versions du DCE"), lambda _c: backend.version_of(uuid), on_success=show)

    # --- mémoire sync switch --------------------------------------------------------------
    def _sync_switch(self) -> None:
        """ "Synchroniser le mémoire de cette consultation", at the top of the Mémoire tab (off by
        default: a mémoire leaves the machine only when the user asks for it)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 4)
        self.memoire_sync = QCheckBox(self.tr("Synchroniser le mémoire de cette consultation"))
        self.memoire_sync.setAccessibleName(self.tr("Synchroniser le mémoire de cette consultation"))
        self.memoire_sync.setEnabled(False)
        self.memoire_sync.clicked.connect(self._memoire_sync_clicked)
        note = QLabel(
            self.tr(
                "Vos autres appareils retrouvent ce mémoire. Les pièces du DCE et leur texte ne sont "
                "jamais synchronisés ; des extraits de leur texte ne vont à Claude (Anthropic) que pour "
                "une analyse ou une rédaction avec Claude que vous avez acceptée."
            )
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        row.addWidget(self.memoire_sync)
        row.addWidget(note, 1)
        layout = self.memoire.layout()
        if isinstance(layout, QBoxLayout):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            layout.insertWidget(0, box, 0)
            layout.setStretch(1, 1)  # the outline and editor take the height

    def _load_sync_switch(self) -> None:
        backend, uuid = self.ctx.backend, self.uuid
        if not uuid:
            return

        def show(on: bool) -> None:
            if self.uuid == uuid:
                self.memoire_sync.setChecked(on)
                self.memoire_sync.setEnabled(True)

        self.ctx.runner.run(
            self.tr("Synchronisation du mémoire"), lambda _c: backend.memoire_sync(uuid), on_success=show
        )

    def _memoire_sync_clicked(self, on: bool) -> None:
        backend, uuid = self.ctx.backend, self.uuid

        def fail(message: str) -> None:
            self.memoire_sync.setChecked(not on)
            self.message.emit(message, "error")

        self.ctx.runner.run(
            self.tr("Synchronisation du mémoire"),
            lambda _c: backend.set_memoire_sync(uuid, on),
            on_success=lambda _r: self.message.emit(
                self.tr("Le mémoire de cette consultation sera synchronisé avec votre compte.")
                if on
                else self.tr("Le mémoire de cette consultation reste sur cet ordinateur."),
                "info",
            ),
            on_failure=fail,
        )

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.exigences:
            self._refresh_requirements()
        elif self.tabs.widget(index) is self.prix and self.prix.uuid != self.uuid:
            self.prix.load(self.uuid)  # read when first shown: opening a consultation stays quick

    def _refresh_checks(self) -> None:
        backend, uuid = self.ctx.backend, self.uuid

        def ok(result: tuple[str, list[CheckRow]]) -> None:
            self.gonogo.set_result(*result)

        self.ctx.runner.run(
            self.tr("Go/No-Go"),
            lambda _c: backend.go_no_go(uuid),
            on_success=ok,
            on_failure=self.gonogo.show_message,
        )
        self._refresh_requirements()

    def _refresh_requirements(self) -> None:
        backend, uuid = self.ctx.backend, self.uuid
        if not uuid:
            return

        def shown(rows: list[Any]) -> None:
            # The mémoire tab's outline (its rows carry the section key).
            self.exigences.set_sections([(s.key, s.title) for s in self.memoire.sections])
            self.exigences.set_rows(rows)

        self.ctx.runner.run(
            self.tr("Matrice des exigences"),
            lambda _c: backend.requirements(uuid),
            on_success=shown,
            on_failure=self.exigences.show_message,
        )

    def move_requirement(self, text: str, section_key: str) -> None:
        """The user puts a requirement in the section that answers it (kept for this consultation)."""
        from app.services import proposals

        backend, uuid = self.ctx.backend, self.uuid

        def work(_c: object) -> None:
            proposals.move_requirement_text(backend.require_store(), uuid, text, section_key)
            backend.forget_answer(uuid)  # the next reading maps it there

        self.ctx.runner.run(
            self.tr("Déplacement de l'exigence"),
            work,
            on_success=lambda _r: self._refresh_requirements(),
            on_failure=self.exigences.show_message,
        )

    def flush(self) -> None:
        self.memoire.flush()

    def theme_changed(self) -> None:
        if self.analysis is not None:
            self.synthese.set_analysis(self.analysis)

    # --- actions --------------------------------------------------------------------------
    def open_source(self, file: str, page: Any, quote: str) -> None:
        self.viewer.show_source(self.uuid, file, page if isinstance(page, int) else None, quote)

    def run_analysis(self) -> None:
        """Analyse again; with Claude, once sending this DCE's text is agreed (asked once)."""
        from ui.pages.consent_dialog import with_consent

        with_consent(
            self.ctx,
            self,
            self.uuid,
            self.engine.currentData(),
            "analyse",
            self._run_analysis_now,
            on_refused=lambda m: self.message.emit(m, "error"),
        )

    def _run_analysis_now(self) -> None:
        backend, uuid, engine = self.ctx.backend, self.uuid, self.engine.currentData()

        def work(ctx: OpContext) -> Analysis:
            return backend.analyze(uuid, engine, ctx.progress, ctx.cancel)

        self.analyze_button.setEnabled(False)
        op = self.ctx.runner.run(
            self.tr("Analyse du DCE"),
            work,
            on_success=lambda _a: self.load(uuid),
            on_failure=lambda m: self.message.emit(m, "error"),
        )
        op.finished.connect(lambda: self.analyze_button.setEnabled(True))
        self.op_bar.track(op)

    def _status_changed(self, _index: int) -> None:
        backend, uuid, status = self.ctx.backend, self.uuid, self.status.currentData()
        self.ctx.runner.run(
            self.tr("Statut"),
            lambda _c: backend.set_status(uuid, status),
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def _reload_status(self, uuid: str) -> None:
        backend = self.ctx.backend

        def show(row: ConsultationRow) -> None:
            if self.uuid == uuid:
                self.row = row
                self._show_status(row.status)

        self.ctx.runner.run(self.tr("Statut"), lambda _c: backend.consultation(uuid), on_success=show)

    def _kind_changed(self, path: str, kind: str) -> None:
        backend, uuid = self.ctx.backend, self.uuid
        self.ctx.runner.run(
            self.tr("Type de pièce"),
            lambda _c: backend.set_piece_kind(uuid, path, kind),
            on_success=lambda _r: self.message.emit(
                self.tr("Type modifié. Relancez l'analyse pour en tenir compte."), "info"
            ),
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def _correct(self, field: str, value: object) -> None:
        backend, uuid = self.ctx.backend, self.uuid

        def ok(analysis: Analysis) -> None:
            self.analysis = analysis
            self.synthese.set_analysis(analysis)

        self.ctx.runner.run(
            self.tr("Correction"),
            lambda _c: backend.correct(uuid, field, value),
            on_success=ok,
            on_failure=lambda m: self.message.emit(m, "error"),
        )

    def export(self) -> None:
        if self.row is None:
            return
        self.flush()  # the export must contain what was just typed (queued after the save)
        backend, uuid, folder = self.ctx.backend, self.uuid, export_folder(self.row)

        def ok(result: tuple[list[Path], list[str]]) -> None:
            files, warnings = result
            for path in files:
                self.documents.add_file(path)
            text = self.tr("Enregistré dans %s") % folder
            if warnings:
                text += "\n" + "\n".join(f"⚠ {w}" for w in warnings)
            self.documents.status.setText(text)
            self._reload_status(uuid)  # an export moves *À analyser* to *En cours*
            self.exported.emit(files)

        def fail(message: str) -> None:
            self.documents.status.setText(message)
            self.message.emit(message, "error")

        self.documents.export_button.setEnabled(False)
        op = self.ctx.runner.run(
            self.tr("Export des documents"),
            lambda _c: backend.export(uuid, folder),
            on_success=ok,
            on_failure=fail,
        )
        op.finished.connect(lambda: self.documents.export_button.setEnabled(True))
        self.op_bar.track(op)
