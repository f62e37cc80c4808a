"""First run: welcome → encrypted store → recovery key kept → company profile → example offered.

Also the unlock dialog shown when the store exists but its key is not in the keychain.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPageLayout, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.profile import Address, CompanyProfile
from app.domain.siret import siret_error
from ui.backend import Backend
from ui.operations import OperationRunner
from ui.widgets import SiretEdit, run_busy


def recovery_key_document(key: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setHtml(
        "<h1>Maître AO — clé de secours</h1>"
        "<p>Cette clé ouvre vos données chiffrées si le trousseau de l'ordinateur les perd "
        "ou sur un autre ordinateur. Conservez-la en lieu sûr, hors de l'ordinateur.</p>"
        f"<p style='font-family: monospace; font-size: 12pt'>{key}</p>"
    )
    return doc


def print_to_pdf(key: str, path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    recovery_key_document(key).print_(printer)


class PageStack(QWidget):
    """One page shown at a time, like QStackedWidget, but only the page shown counts in the size
    (QStackedWidget keeps room for its tallest page)."""

    currentChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []
        self._current = -1
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, page: QWidget) -> int:
        self._pages.append(page)
        self._layout.addWidget(page)
        if self._current < 0:
            self._current = 0
        else:
            page.hide()
        return len(self._pages) - 1

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget:
        return self._pages[self._current]

    def setCurrentIndex(self, index: int) -> None:
        if index == self._current or not 0 <= index < len(self._pages):
            return
        self._pages[self._current].hide()
        self._current = index
        self._pages[index].show()
        self.currentChanged.emit(index)


class FirstRunDialog(QDialog):
    """Returns Accepted with `example_requested` telling whether to load the example DCE."""

    store_created = Signal()

    def __init__(
        self,
        backend: Backend,
        runner: OperationRunner,
        parent: QWidget | None = None,
        *,
        passphrase_mode: bool = False,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.passphrase_mode = passphrase_mode  # no working keychain: a passphrase protects the store
        self.recovery_key = ""
        self.example_requested = False
        self.setWindowTitle(self.tr("Bienvenue dans Maître AO"))
        self.pages = PageStack(self)
        self.pages.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        self.pages.addWidget(self._welcome())
        self.pages.addWidget(self._create())
        self.pages.addWidget(self._key())
        self.pages.addWidget(self._profile())
        self.pages.addWidget(self._example())
        self.pages.currentChanged.connect(self._fit_page)
        self._fit_page(0)

    # --- pages ----------------------------------------------------------------------------
    def _fit_page(self, _index: int) -> None:
        """As tall as the page shown: never an empty box sized for the longest page."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.adjustSize()

    @staticmethod
    def _title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("pageTitle")
        label.setWordWrap(True)
        return label

    def _welcome(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self._title(self.tr("Bienvenue dans Maître AO")))
        text = QLabel(
            self.tr(
                "Maître AO lit le dossier de consultation (DCE), en extrait ce qui décide de votre "
                "réponse avec la page d'où cela vient, vérifie votre adéquation, rédige le mémoire "
                "technique et remplit le DC1 et le DC2.\n\nTout fonctionne hors ligne, sur cet "
                "ordinateur. Vos données sont chiffrées. Si vous activez Claude, rien du DCE ne lui est "
                "envoyé sans votre accord."
            )
        )
        text.setWordWrap(True)
        lay.addWidget(text)
        start = QPushButton(self.tr("Commencer"))
        start.setDefault(True)
        start.setAccessibleName(self.tr("Commencer la configuration"))
        start.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.start_button = start
        lay.addWidget(start, alignment=Qt.AlignmentFlag.AlignRight)
        return w

    def _create(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self._title(self.tr("Vos données chiffrées")))
        text = QLabel(
            self.tr(
                "Maître AO range le profil de votre entreprise, vos consultations et vos mémoires "
                "dans un coffre chiffré sur cet ordinateur. Sa clé est gardée dans le trousseau du "
                "système ; une clé de secours vous sera montrée une seule fois."
            )
        )
        text.setWordWrap(True)
        lay.addWidget(text)
        self.pass1 = QLineEdit()
        self.pass2 = QLineEdit()
        if self.passphrase_mode:
            text.setText(
                self.tr(
                    "Le trousseau de cet ordinateur n'est pas disponible : vos données seront protégées "
                    "par une phrase secrète, demandée à chaque ouverture. Elle ne peut pas être "
                    "récupérée si vous l'oubliez."
                )
            )
            form = QFormLayout()
            for field, label in ((self.pass1, "Phrase secrète :"), (self.pass2, "Confirmation :")):
                field.setEchoMode(QLineEdit.EchoMode.Password)
                field.setAccessibleName(self.tr(label.rstrip(" :")))
                form.addRow(self.tr(label), field)
            lay.addLayout(form)
        self.create_error = QLabel()
        self.create_error.setWordWrap(True)
        self.create_error.setStyleSheet("color: #c62828")
        lay.addWidget(self.create_error)
        self.create_button = QPushButton(self.tr("Créer le coffre chiffré"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._do_create)
        lay.addWidget(self.create_button, alignment=Qt.AlignmentFlag.AlignRight)
        return w

    def _key(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self._title(self.tr("Votre clé de secours")))
        text = QLabel(
            self.tr(
                "Elle ouvre vos données si le trousseau de cet ordinateur les perd ou sur un autre "
                "ordinateur. Elle ne sera plus affichée : copiez-la, imprimez-la ou "
                "enregistrez-la en PDF, et gardez-la hors de l'ordinateur."
            )
        )
        text.setWordWrap(True)
        lay.addWidget(text)
        self.key_label = QLabel()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(15)
        mono.setWeight(QFont.Weight.DemiBold)
        self.key_label.setFont(mono)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setWordWrap(True)
        self.key_label.setObjectName("card")
        self.key_label.setMinimumHeight(80)
        self.key_label.setAccessibleName(self.tr("Clé de secours"))
        lay.addWidget(self.key_label)
        row = QHBoxLayout()
        copy = QPushButton(self.tr("&Copier"))
        copy.clicked.connect(self._copy_key)
        printb = QPushButton(self.tr("&Imprimer…"))
        printb.clicked.connect(self._print_key)
        pdf = QPushButton(self.tr("Enregistrer en &PDF…"))
        pdf.clicked.connect(self._pdf_key)
        for b in (copy, printb, pdf):
            row.addWidget(b)
        row.addStretch()
        lay.addLayout(row)
        self.kept = QCheckBox(self.tr("Je l'ai conservée"))
        lay.addWidget(self.kept)
        self.key_next = QPushButton(self.tr("Continuer"))
        self.key_next.setEnabled(False)
        self.kept.toggled.connect(self.key_next.setEnabled)
        self.key_next.clicked.connect(lambda: self.pages.setCurrentIndex(3))
        lay.addWidget(self.key_next, alignment=Qt.AlignmentFlag.AlignRight)
        return w

    def _profile(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self._title(self.tr("Votre entreprise")))
        hint = QLabel(
            self.tr("Le SIRET est vérifié pendant la saisie. Le reste peut être complété plus tard.")
        )
        hint.setWordWrap(True)
        lay.addWidget(hint)
        form = QFormLayout()
        self.p_name = QLineEdit()
        self.p_name.setAccessibleName(self.tr("Raison sociale"))
        self.p_siret = SiretEdit()
        self.p_street = QLineEdit()
        self.p_zip = QLineEdit()
        self.p_city = QLineEdit()
        self.p_email = QLineEdit()
        self.p_phone = QLineEdit()
        form.addRow(self.tr("&Raison sociale :"), self.p_name)
        form.addRow(self.tr("&SIRET :"), self.p_siret)
        form.addRow("", self.p_siret.feedback)
        form.addRow(self.tr("&Adresse :"), self.p_street)
        form.addRow(self.tr("Code &postal :"), self.p_zip)
        form.addRow(self.tr("&Ville :"), self.p_city)
        form.addRow(self.tr("&E-mail :"), self.p_email)
        form.addRow(self.tr("&Téléphone :"), self.p_phone)
        lay.addLayout(form)
        self.profile_error = QLabel()
        self.profile_error.setWordWrap(True)
        self.profile_error.setStyleSheet("color: #c62828")
        lay.addWidget(self.profile_error)
        row = QHBoxLayout()
        later = QPushButton(self.tr("Plus tard"))
        later.clicked.connect(lambda: self.pages.setCurrentIndex(4))
        self.later_button = later
        self.profile_save = QPushButton(self.tr("Enregistrer"))
        self.profile_save.setDefault(True)
        self.profile_save.setEnabled(False)
        self.p_siret.validity_changed.connect(self._profile_ready)
        self.p_name.textChanged.connect(lambda _t: self._profile_ready())
        self.profile_save.clicked.connect(self._save_profile)
        self.profile_import = QPushButton(self.tr("&Importer un profil…"))
        self.profile_import.setToolTip(
            self.tr("Un profil d'entreprise enregistré en JSON (Profil entreprise › Exporter le profil…)")
        )
        self.profile_import.clicked.connect(self._choose_profile)
        row.addWidget(later)
        row.addWidget(self.profile_import)
        row.addStretch()
        row.addWidget(self.profile_save)
        lay.addLayout(row)
        return w

    def _example(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self._title(self.tr("Tout est prêt")))
        text = QLabel(
            self.tr(
                "Déposez le ZIP d'un DCE n'importe où dans la fenêtre pour commencer. Vous pouvez "
                "aussi explorer une consultation d'exemple, déjà prête à être analysée, avec une "
                "entreprise d'exemple si vous n'avez pas encore saisi la vôtre."
            )
        )
        text.setWordWrap(True)
        lay.addWidget(text)
        self.example_note = QLabel()
        self.example_note.setWordWrap(True)
        self.example_note.hide()
        lay.addWidget(self.example_note)
        row = QHBoxLayout()
        skip = QPushButton(self.tr("Commencer sans exemple"))
        skip.clicked.connect(self.accept)
        self.skip_button = skip
        example = QPushButton(self.tr("Explorer l'exemple"))
        example.setDefault(True)
        example.clicked.connect(self._with_example)
        self.example_button = example
        row.addWidget(skip)
        row.addStretch()
        row.addWidget(example)
        lay.addLayout(row)
        return w

    # --- actions --------------------------------------------------------------------------
    def _do_create(self) -> None:
        self.create_error.clear()
        passphrase: str | None = None
        if self.passphrase_mode:
            passphrase = self.pass1.text()
            if passphrase != self.pass2.text():
                self.create_error.setText(self.tr("Les deux phrases secrètes diffèrent."))
                return

        def ok(key: object) -> None:
            self.recovery_key = str(key)
            self.key_label.setText(self.recovery_key)
            self.store_created.emit()
            # With a passphrase there is no recovery key to keep: straight to the company.
            self.pages.setCurrentIndex(2 if self.recovery_key else 3)

        run_busy(
            self.runner,
            self.tr("Création du coffre"),
            lambda _c: self.backend.create_store(passphrase),
            button=self.create_button,
            busy_text=self.tr("Création…"),
            error_label=self.create_error,
            on_success=ok,
        )

    def _copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key)

    def _print_key(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            recovery_key_document(self.recovery_key).print_(printer)

    def _pdf_key(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Enregistrer la clé en PDF"), "cle-de-secours-maitre-ao.pdf", "PDF (*.pdf)"
        )
        if path:
            print_to_pdf(self.recovery_key, Path(path))

    def _profile_ready(self, *_args: object) -> None:
        self.profile_save.setEnabled(bool(self.p_name.text().strip()) and self.p_siret.is_valid())

    def build_profile(self) -> CompanyProfile:
        return CompanyProfile(
            raison_sociale=self.p_name.text().strip(),
            siret=self.p_siret.text(),
            adresse=Address(
                ligne1=self.p_street.text().strip(),
                code_postal=self.p_zip.text().strip(),
                ville=self.p_city.text().strip(),
            ),
            email=self.p_email.text().strip(),
            telephone=self.p_phone.text().strip(),
        )

    def _save_profile(self) -> None:
        self.profile_error.clear()
        try:
            profile = self.build_profile()
        except ValueError as exc:
            self.profile_error.setText(str(siret_error(self.p_siret.text()) or exc))
            return
        run_busy(
            self.runner,
            self.tr("Enregistrement du profil"),
            lambda _c: self.backend.save_profile(profile),
            button=self.profile_save,
            busy_text=self.tr("Enregistrement…"),
            error_label=self.profile_error,
            on_success=lambda _r: self.pages.setCurrentIndex(4),
        )

    def _choose_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Importer un profil d'entreprise"), str(Path.home()), self.tr("Profil (*.json)")
        )
        if path:
            self.import_profile(Path(path))

    def import_profile(self, path: Path) -> None:
        """A profile JSON (same format as Profil entreprise › Exporter): saved, then on to the end."""
        self.profile_error.clear()

        def ok(profile: CompanyProfile) -> None:
            self.example_note.setText(self.tr("Profil importé : %s.") % profile.raison_sociale)
            self.example_note.show()
            self.pages.setCurrentIndex(4)

        run_busy(
            self.runner,
            self.tr("Import du profil"),
            lambda _c: self.backend.import_profile(path),
            button=self.profile_import,
            busy_text=self.tr("Import…"),
            error_label=self.profile_error,
            on_success=ok,
        )

    def _with_example(self) -> None:
        self.example_requested = True
        self.accept()


class UnlockDialog(QDialog):
    """The store exists but its key is not in the keychain: ask for the recovery key."""

    def __init__(
        self,
        backend: Backend,
        runner: OperationRunner,
        message: str,
        parent: QWidget | None = None,
        *,
        passphrase_mode: bool = False,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.runner = runner
        self.passphrase_mode = passphrase_mode
        self.setWindowTitle(self.tr("Déverrouiller vos données"))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        self.info = QLabel(message)
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        self.key = QLineEdit()
        self.key.setPlaceholderText(self.tr("Clé de secours"))
        self.key.setAccessibleName(self.tr("Clé de secours"))
        if passphrase_mode:
            self.key.setPlaceholderText(self.tr("Phrase secrète"))
            self.key.setAccessibleName(self.tr("Phrase secrète"))
            self.key.setEchoMode(QLineEdit.EchoMode.Password)
        lay.addWidget(self.key)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        quit_ = QPushButton(self.tr("Quitter"))
        quit_.clicked.connect(self.reject)
        self.ok = QPushButton(self.tr("Déverrouiller"))
        self.ok.setDefault(True)
        self.ok.clicked.connect(self._unlock)
        row.addWidget(quit_)
        row.addStretch()
        row.addWidget(self.ok)
        lay.addLayout(row)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self._fit_content()
        return handled

    def _fit_content(self) -> None:
        """Grow with the text (an error under a wrapped message): no label is ever cut."""
        layout = self.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height(), self.sizeHint().height())
        if self.height() < needed:
            self.resize(self.width(), needed)

    def _unlock(self) -> None:
        key = self.key.text() if self.passphrase_mode else self.key.text().strip()
        if not key:
            what = "la phrase secrète" if self.passphrase_mode else "la clé de secours"
            self.error.setText(self.tr("Saisissez %s.") % what)
            return
        run_busy(
            self.runner,
            self.tr("Déverrouillage"),
            lambda _c: self.backend.open(key) if self.passphrase_mode else self.backend.unlock(key),
            button=self.ok,
            busy_text=self.tr("Vérification…"),
            error_label=self.error,
            on_success=lambda _r: self.accept(),
        )
