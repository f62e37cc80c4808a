"""Paramètres: Claude, compte et synchronisation, apparence, données, à propos."""

from __future__ import annotations

import platform
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Signal, qVersion
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services import about
from app.settings import (
    ACCOUNT_EMAIL,
    ACCOUNT_SERVER_URL,
    CLAUDE_DRAFTING_MODEL,
    CLAUDE_EXTRACTION_MODEL,
    CLAUDE_MODE,
    CLAUDE_PRICES_EUR,
    CLAUDE_SEND_DCE,
    THEME,
    SendDce,
    Theme,
)
from ui.backend import Backend, SyncReport
from ui.context import AppContext
from ui.operations import Lane
from ui.pages.account_dialogs import ConflictDialog, ConflictList, DeleteAccountDialog, delete_confirmed
from ui.style import THEMES, apply_theme, fr_money
from ui.sync_controller import state_text
from ui.widgets import chain, title_label

if TYPE_CHECKING:
    from app.analysis.claude.usage import CallUsage
    from app.services.account import AccountStatus, ConflictRow, Keep, Session

CLAUDE_MODES = (
    ("off", "Désactivé (tout hors ligne)"),
    ("own_key", "Ma propre clé d'API"),
    ("account", "Mon compte Maître AO"),
)
ERASE_WORD = "EFFACER"

LICENCES = (
    ("Qt / PySide6", "LGPL v3"),
    ("SQLCipher / sqlcipher3", "BSD / zlib"),
    ("pypdf", "BSD"),
    ("python-docx", "MIT"),
    ("openpyxl", "MIT"),
    ("httpx", "BSD"),
    ("anthropic", "MIT"),
    ("keyring", "MIT"),
    ("cryptography", "Apache 2.0 / BSD"),
    ("pydantic", "MIT"),
    ("platformdirs", "MIT"),
    ("tzdata", "Apache 2.0"),
)


def versions() -> list[tuple[str, str]]:
    return [
        ("Maître AO", about.app_version()),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        *about.library_versions(),
    ]


class ClaudeTab(QWidget):
    """Paramètres › Claude: access mode, API key, models, this month's spend."""

    data_changed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        form = QFormLayout(self)
        self.mode_group = QButtonGroup(self)
        box = QVBoxLayout()
        mode = self.ctx.settings.get(CLAUDE_MODE)
        for i, (key, label) in enumerate(CLAUDE_MODES):
            rb = QRadioButton(self.tr(label))
            rb.setProperty("mode", key)
            rb.setChecked(key == mode)
            self.mode_group.addButton(rb, i)
            box.addWidget(rb)
        self.mode_group.buttonClicked.connect(self._mode_changed)
        form.addRow(self.tr("Accès à Claude :"), box)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText(self.tr("sk-ant-… (gardée dans le trousseau du système)"))
        self.api_key.setAccessibleName(self.tr("Clé d'API Claude"))
        row = QHBoxLayout()
        save = QPushButton(self.tr("Enregistrer la clé"))
        save.clicked.connect(self._save_key)
        delete = QPushButton(self.tr("Supprimer la clé"))
        delete.clicked.connect(self._delete_key)
        test = QPushButton(self.tr("Tester la connexion"))
        test.clicked.connect(self._test)
        row.addWidget(save)
        row.addWidget(delete)
        row.addWidget(test)
        form.addRow(self.tr("Clé d'API :"), self.api_key)
        form.addRow("", row)
        prices: dict[str, dict[str, float]] = self.ctx.settings.get(CLAUDE_PRICES_EUR)
        models = sorted(prices)
        self.extraction_model = QComboBox()
        self.drafting_model = QComboBox()
        for combo, var in (
            (self.extraction_model, CLAUDE_EXTRACTION_MODEL),
            (self.drafting_model, CLAUDE_DRAFTING_MODEL),
        ):
            current = self.ctx.settings.get(var)
            combo.addItems(models if current in models else [current, *models])
            combo.setCurrentText(current)
            combo.currentTextChanged.connect(lambda text, v=var: self.ctx.settings.set(v, text))
            combo.setAccessibleName(self.tr(var.label))
        form.addRow(self.tr("Modèle pour l'analyse :"), self.extraction_model)
        form.addRow(self.tr("Modèle pour la rédaction :"), self.drafting_model)
        # Sending DCE text to Claude: asked once per consultation unless decided here (issue 18).
        self.send_dce = QComboBox()
        self.send_dce.setAccessibleName(self.tr("Envoi du texte des DCE à Claude"))
        for key, label in (
            (SendDce.ASK, self.tr("Demander pour chaque consultation")),
            (SendDce.ALWAYS, self.tr("Toujours, sans demander")),
            (SendDce.NEVER, self.tr("Jamais (Claude ne reçoit rien des DCE)")),
        ):
            self.send_dce.addItem(label, key.value)
        self.send_dce.setCurrentIndex(
            max(0, self.send_dce.findData(self.ctx.settings.get(CLAUDE_SEND_DCE).value))
        )
        self.send_dce.currentIndexChanged.connect(
            lambda _i: self.ctx.settings.set(CLAUDE_SEND_DCE, SendDce(str(self.send_dce.currentData())))
        )
        form.addRow(self.tr("Envoi du texte des DCE à Claude :"), self.send_dce)
        self.spend = QLabel("—")
        form.addRow(self.tr("Dépense du mois :"), self.spend)
        self.claude_status = QLabel()
        self.claude_status.setWordWrap(True)
        form.addRow(self.claude_status)

    def _mode_changed(self, button: QRadioButton) -> None:
        mode = str(button.property("mode"))
        backend = self.ctx.backend

        self.ctx.runner.run(
            self.tr("Mode Claude"),
            lambda _c: backend.set_claude_mode(mode),
            on_success=lambda _r: self.data_changed.emit(),
            on_failure=self.claude_status.setText,
        )

    def _save_key(self) -> None:
        key, backend = self.api_key.text().strip(), self.ctx.backend
        if not key:
            self.claude_status.setText(self.tr("Collez d'abord votre clé d'API."))
            return
        self.api_key.clear()
        self.ctx.runner.run(
            self.tr("Clé d'API"),
            lambda _c: backend.set_api_key(key),
            on_success=chain(
                lambda: self.claude_status.setText(self.tr("Clé enregistrée dans le trousseau.")),
                self.data_changed.emit,
                self.refresh,
            ),
            on_failure=self.claude_status.setText,
        )

    def _delete_key(self) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Clé d'API"),
            lambda _c: backend.delete_api_key(),
            on_success=chain(
                lambda: self.claude_status.setText(self.tr("Clé supprimée.")), self.data_changed.emit
            ),
            on_failure=self.claude_status.setText,
        )

    def _test(self) -> None:
        backend = self.ctx.backend
        self.claude_status.setText(self.tr("Test en cours…"))

        def tested(result: tuple[str, list[CallUsage]]) -> None:
            message, usage = result
            self.claude_status.setText(message)
            # The network lane only talked to Claude; the DB lane keeps the call in the ledger.
            self.ctx.runner.run(self.tr("Coût de Claude"), lambda _c: backend.record_usage(usage))

        self.ctx.runner.run(
            self.tr("Test de Claude"),
            lambda _c: backend.test_claude(),
            on_success=tested,
            on_failure=self.claude_status.setText,
            lane=Lane.NET,
        )

    def refresh(self) -> None:
        """This month's spend, and the mode (a service may have changed it: key saved)."""
        backend = self.ctx.backend

        def show(spend: float) -> None:
            self.spend.setText(fr_money(spend))
            mode = self.ctx.settings.get(CLAUDE_MODE)
            for button in self.mode_group.buttons():
                button.setChecked(button.property("mode") == mode)

        self.ctx.runner.run(
            self.tr("Paramètres"),
            lambda _c: backend.monthly_spend(),
            on_success=show,
            on_failure=self.claude_status.setText,
        )


class AccountTab(QWidget):
    """Paramètres › Compte et synchronisation: login, sync, conflicts, "Supprimer mon compte"."""

    data_changed = Signal()
    store_erased = Signal()
    sync_requested = Signal()
    conflicts_changed = Signal(int)
    account_deleted = Signal(bool)  # wiped locally too

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        self.server = QLineEdit(self.ctx.settings.get(ACCOUNT_SERVER_URL))
        self.server.setPlaceholderText("https://api.maitre-ao.fr")
        self.server.setAccessibleName(self.tr("Adresse du service"))
        self.server.editingFinished.connect(
            lambda: self.ctx.settings.set(ACCOUNT_SERVER_URL, self.server.text().strip())
        )
        self.email = QLineEdit(self.ctx.settings.get(ACCOUNT_EMAIL))
        self.email.setAccessibleName(self.tr("Adresse e-mail du compte"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe"))
        form.addRow(self.tr("Service :"), self.server)
        form.addRow(self.tr("E-mail :"), self.email)
        form.addRow(self.tr("Mot de passe :"), self.password)
        row = QHBoxLayout()
        self.login_button = QPushButton(self.tr("Se connecter"))
        self.login_button.clicked.connect(self._login)
        self.sync_button = QPushButton(self.tr("Synchroniser maintenant"))
        self.sync_button.clicked.connect(self._sync)
        self.logout_button = QPushButton(self.tr("Se déconnecter"))
        self.logout_button.clicked.connect(self._logout)
        row.addWidget(self.login_button)
        row.addWidget(self.logout_button)
        row.addWidget(self.sync_button)
        form.addRow("", row)
        self.account_state = QLabel(
            self.tr(
                "Non connecté. Tout fonctionne sans compte ; le compte sert à synchroniser vos appareils et à utiliser Claude sans clé personnelle."
            )
        )
        self.account_state.setWordWrap(True)
        form.addRow(self.account_state)
        note = QLabel(
            self.tr(
                "Jamais synchronisés : les pièces des DCE et leur texte (des extraits ne vont à Claude qu'avec votre accord, voir À propos / Confidentialité). Les mémoires ne sont synchronisés que pour les consultations où vous l'activez."
            )
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form.addRow(note)
        self.conflict_list = ConflictList()
        self.conflict_list.resolve_requested.connect(self.open_conflict)
        outer.addSpacing(8)
        outer.addWidget(self.conflict_list)
        delete_row = QHBoxLayout()
        self.delete_account_button = QPushButton(self.tr("Supprimer mon compte…"))
        self.delete_account_button.setStyleSheet("color: #c62828")
        self.delete_account_button.setToolTip(
            self.tr("Efface votre compte et vos données sur le serveur (droit à l'effacement).")
        )
        self.delete_account_button.clicked.connect(self._delete_account)
        self.delete_account_button.setEnabled(False)  # until the account status says logged in
        delete_row.addWidget(self.delete_account_button)
        delete_row.addStretch()
        outer.addSpacing(8)
        outer.addLayout(delete_row)
        outer.addStretch(1)
        self._sync_asked = False
        self.conflict_dialog: ConflictDialog | None = None
        self.delete_dialog: DeleteAccountDialog | None = None

    def sync_finished(self, report: SyncReport) -> None:
        """A sync ended: what moved when the user asked for it; the conflicts list follows."""
        if self._sync_asked:
            self._sync_asked = False
            if report.state == "ok":
                self.account_state.setText("\n".join(report.lines))
            elif report.state == "off":
                self.account_state.setText(self.tr("Connectez-vous d'abord à votre compte."))
            else:
                self.account_state.setText(
                    self.tr("%s\nVos modifications restent sur cet ordinateur ; nouvel essai automatique.")
                    % report.message
                )
        if report.state != "off" and len(self.conflict_list.rows) != report.conflicts:
            self.refresh_conflicts()

    def refresh_conflicts(self) -> None:
        backend = self.ctx.backend

        def show(rows: list[ConflictRow]) -> None:
            self.conflict_list.set_rows(rows)
            self.conflicts_changed.emit(len(rows))

        self.ctx.runner.run(
            self.tr("Conflits"),
            lambda _c: backend.conflicts(),
            on_success=show,
            on_failure=self.account_state.setText,
        )

    def open_conflict(self, conflict: ConflictRow) -> None:
        dlg = ConflictDialog(conflict, self)
        self.conflict_dialog = dlg
        dlg.accepted.connect(lambda: self.resolve(conflict.id, dlg.choice))
        dlg.open()

    def resolve(self, conflict_id: int, keep: Keep) -> None:
        backend = self.ctx.backend
        done = (
            self.tr("Votre version est gardée ; elle sera envoyée à la prochaine synchronisation.")
            if keep == "local"
            else self.tr("La version du serveur est gardée.")
        )
        self.ctx.runner.run(
            self.tr("Conflit"),
            lambda _c: backend.resolve_conflict(conflict_id, keep),
            on_success=chain(self.refresh_conflicts, lambda: self.account_state.setText(done)),
            on_failure=self.account_state.setText,
        )

    def _delete_account(self) -> None:
        dlg = DeleteAccountDialog(self.email.text().strip(), self)
        self.delete_dialog = dlg
        dlg.accepted.connect(
            lambda: self.delete_account(dlg.typed.text(), dlg.wipe.isChecked(), dlg.password.text())
        )
        dlg.open()

    def delete_account(self, typed: str, wipe_local: bool, password: str) -> None:
        """Erase the account on the server (then this computer's data when asked)."""
        if not delete_confirmed(typed, self.email.text().strip()):
            self.account_state.setText(
                self.tr("Votre compte n'a pas été supprimé (confirmation incorrecte).")
            )
            return
        backend = self.ctx.backend

        def ok(_r: object) -> None:
            self.account_deleted.emit(wipe_local)
            if wipe_local:
                self.store_erased.emit()
                return
            self.refresh(
                notice=self.tr(
                    "Votre compte a été supprimé du serveur. Vos données restent sur cet ordinateur ; "
                    "l'application continue de fonctionner sans compte."
                )
            )

        def fail(message: str) -> None:
            self.account_state.setText(
                self.tr("Votre compte n'a pas pu être supprimé : %s\nRien n'a été effacé sur cet ordinateur.")
                % message
            )

        self.account_state.setText(self.tr("Suppression du compte en cours…"))
        # The server is asked on the network lane; the store steps (and a local wipe) run on the DB
        # lane, so a wipe never races another access to the store.
        self.ctx.runner.run(
            self.tr("Suppression du compte"),
            lambda _c: backend.delete_account(wipe_local, password),
            on_success=ok,
            on_failure=fail,
            lane=Lane.NET,
        )

    def _login(self) -> None:
        server = self.server.text().strip()
        email, password, backend = self.email.text().strip(), self.password.text(), self.ctx.backend
        self.password.clear()
        self.ctx.settings.set(ACCOUNT_SERVER_URL, server)
        self.ctx.settings.set(ACCOUNT_EMAIL, email)

        def remember(session: Session) -> None:
            self.ctx.runner.run(
                self.tr("Connexion"),
                lambda _c: backend.remember_session(session),
                on_success=chain(self.refresh, self.data_changed.emit, self.sync_requested.emit),
                on_failure=self.account_state.setText,
            )

        # The network lane talks to the server; the DB lane then keeps the account in the store.
        self.ctx.runner.run(
            self.tr("Connexion"),
            lambda _c: Backend.open_session(server, email, password),
            on_success=remember,
            on_failure=self.account_state.setText,
            lane=Lane.NET,
        )

    def _logout(self) -> None:
        backend = self.ctx.backend

        def close(server_url: str | None) -> None:
            self.ctx.runner.run(
                self.tr("Déconnexion"),
                lambda _c: Backend.close_session(server_url),
                on_success=chain(self.refresh, self.data_changed.emit),
                on_failure=self.account_state.setText,
                lane=Lane.NET,
            )

        self.ctx.runner.run(
            self.tr("Déconnexion"),
            lambda _c: backend.session_server(),
            on_success=close,
            on_failure=self.account_state.setText,
        )

    def _sync(self) -> None:
        """Through the window's sync controller: one sync at a time for the store."""
        self.account_state.setText(self.tr("Synchronisation en cours…"))
        self._sync_asked = True
        self.sync_requested.emit()

    def _show_account(self, st: AccountStatus | None) -> None:
        available = st is not None
        logged = bool(st and st.logged_in)
        self.login_button.setEnabled(available and not logged)
        self.logout_button.setEnabled(logged)
        self.sync_button.setEnabled(logged)
        self.delete_account_button.setEnabled(logged)
        for field in (self.server, self.email, self.password):
            field.setEnabled(available and not logged)
        if st is None:
            self.account_state.setText(self.tr("La synchronisation n'est pas disponible dans cette version."))
        elif logged:
            self.email.setText(st.email or "")
            self.server.setText(st.server_url or "")
            report = SyncReport("ok", last_sync=st.last_sync, to_send=st.to_send, conflicts=st.open_conflicts)
            line = state_text(report)
            if report.to_send:
                line += self.tr(" · %d modification(s) à envoyer") % report.to_send
            self.account_state.setText(self.tr("Connecté : %s\n%s") % (st.email or "", line))
        else:
            self.account_state.setText(
                self.tr(
                    "Non connecté. Tout fonctionne sans compte ; le compte sert à synchroniser vos "
                    "appareils et à utiliser Claude sans clé personnelle."
                )
            )

    def refresh(self, notice: str = "") -> None:
        """Reload the account state; `notice` is shown over it."""
        backend = self.ctx.backend

        def show(account: AccountStatus) -> None:
            self._show_account(account)
            self.refresh_conflicts()
            if notice:
                self.account_state.setText(notice)

        self.ctx.runner.run(
            self.tr("Paramètres"),
            lambda _c: backend.account_status(),
            on_success=show,
            on_failure=self.account_state.setText,
        )


class AppearanceTab(QWidget):
    """Paramètres › Apparence."""

    theme_changed = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        form = QFormLayout(self)
        self.theme = QComboBox()
        self.theme.setAccessibleName(self.tr("Apparence"))
        for key, label in THEMES.items():
            self.theme.addItem(self.tr(label), key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.ctx.settings.get(THEME))))
        self.theme.currentIndexChanged.connect(lambda _i: self.set_theme(self.theme.currentData()))
        form.addRow(self.tr("Apparence :"), self.theme)

    def set_theme(self, theme: str) -> None:
        self.ctx.settings.set(THEME, Theme(theme))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.theme.blockSignals(True)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.theme.blockSignals(False)
        self.theme_changed.emit(theme)


class DataTab(QWidget):
    """Paramètres › Données: backup, restore, purge, export, erase."""

    data_changed = Signal()
    store_erased = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = QVBoxLayout(self)
        for label, tip, slot in (
            ("Sauvegarder…", "Une copie chiffrée de toutes vos données.", self._backup),
            (
                "Restaurer une sauvegarde…",
                "Remplace les données actuelles par celles de la sauvegarde.",
                self._restore,
            ),
            (
                "Purger maintenant",
                "Supprime les pièces des DCE dont la durée de conservation est passée.",
                self._purge,
            ),
            (
                "Exporter mes données…",
                "Toutes vos données dans un fichier lisible (JSON).",
                self._export_data,
            ),
        ):
            row = QHBoxLayout()
            b = QPushButton(self.tr(label))
            b.setMinimumWidth(230)
            b.clicked.connect(slot)
            row.addWidget(b)
            t = QLabel(self.tr(tip))
            t.setObjectName("muted")
            t.setWordWrap(True)
            row.addWidget(t, 1)
            lay.addLayout(row)
        erase_row = QHBoxLayout()
        self.erase_button = QPushButton(self.tr("Effacer toutes les données locales…"))
        self.erase_button.setStyleSheet("color: #c62828")
        self.erase_button.clicked.connect(self._erase)
        erase_row.addWidget(self.erase_button)
        erase_row.addStretch()
        lay.addLayout(erase_row)
        self.data_status = QLabel()
        self.data_status.setWordWrap(True)
        lay.addWidget(self.data_status)
        lay.addStretch()

    def _backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Sauvegarder"), "maitre-ao-sauvegarde.db", self.tr("Sauvegarde (*.db)")
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Sauvegarde"),
            lambda _c: backend.backup(path),
            on_success=lambda p: self.data_status.setText(self.tr("Sauvegarde enregistrée : %s") % p),
            on_failure=self.data_status.setText,
        )

    def _restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Restaurer une sauvegarde"), "", self.tr("Sauvegarde (*.db)")
        )
        if not path:
            return
        key, ok = QInputDialog.getText(
            self,
            self.tr("Restaurer une sauvegarde"),
            self.tr("Clé de secours en vigueur quand la sauvegarde a été faite :"),
        )
        if ok and key.strip():
            self.restore_from(Path(path), key.strip())

    def restore_from(self, path: Path, recovery_key: str) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Restauration"),
            lambda _c: backend.restore(path, recovery_key),
            on_success=chain(
                lambda: self.data_status.setText(
                    self.tr("Sauvegarde restaurée. Les données précédentes ont été mises de côté.")
                ),
                self.data_changed.emit,
            ),
            on_failure=self.data_status.setText,
        )

    def _purge(self) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Purge"),
            lambda _c: backend.purge_now(),
            on_success=lambda n: self.data_status.setText(self.tr("%d pièce(s) supprimée(s).") % n),
            on_failure=self.data_status.setText,
        )

    def _export_data(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exporter mes données"), "maitre-ao-mes-donnees.json", "JSON (*.json)"
        )
        if path:
            self.export_data_to(Path(path))

    def export_data_to(self, path: Path) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Export des données"),
            lambda _c: backend.export_my_data(path),
            on_success=lambda p: self.data_status.setText(
                self.tr("Données exportées (fichier non chiffré) : %s") % p
            ),
            on_failure=self.data_status.setText,
        )

    def _erase(self) -> None:
        word, ok = QInputDialog.getText(
            self,
            self.tr("Effacer toutes les données locales"),
            self.tr(
                "Tout sera effacé de cet ordinateur : profil, consultations, mémoires, bibliothèque. "
                "Cette action est définitive.\n\nTapez %s pour confirmer :"
            )
            % ERASE_WORD,
        )
        if ok:
            self.erase_confirmed(word)

    def erase_confirmed(self, word: str) -> None:
        if word.strip() != ERASE_WORD:
            self.data_status.setText(self.tr("Rien n'a été effacé (confirmation incorrecte)."))
            return
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.tr("Effacement"),
            lambda _c: backend.erase_all(),
            on_success=lambda _r: self.store_erased.emit(),
            on_failure=self.data_status.setText,
        )


class AboutTab(QTextBrowser):
    """Paramètres › À propos / Confidentialité: what leaves the computer, versions and licences,
    read when first shown (tens of ms)."""

    def __init__(self) -> None:
        super().__init__()
        self.setOpenExternalLinks(True)

    def showEvent(self, event: QShowEvent) -> None:
        if not self.toPlainText():
            self.fill()
        super().showEvent(event)

    def fill(self) -> None:
        rows = "".join(f"<tr><td>{n}</td><td>{v}</td></tr>" for n, v in versions())
        lic = "".join(f"<tr><td>{n}</td><td>{lic}</td></tr>" for n, lic in LICENCES)
        self.setHtml(
            "<h2>Maître AO</h2><p>Répondre aux appels d'offres publics, hors ligne, avec les sources.</p>"
            + privacy_html()
            + f"<h3>Versions</h3><table cellpadding='3'>{rows}</table>"
            f"<h3>Licences des composants</h3><table cellpadding='3'>{lic}</table>"
            "<p>Qt est utilisé sous licence LGPL v3 : vous pouvez remplacer les bibliothèques Qt "
            "fournies par une version modifiée.</p>"
        )


def privacy_html() -> str:
    """Confidentialité: exactly what leaves the computer, when and to whom (app.services.consent)."""
    from html import escape

    from app.services import consent

    rows = "".join(
        f"<tr><td>{escape(f.what)}</td><td>{escape(f.when)}</td><td>{escape(f.to_whom)}</td></tr>"
        for f in consent.WHAT_LEAVES
    )
    return (
        "<h3>Confidentialité : ce qui quitte cet ordinateur</h3>"
        "<table cellpadding='3' border='1' cellspacing='0'>"
        "<tr><th>Quoi</th><th>Quand</th><th>À qui</th></tr>"
        f"{rows}</table>"
        f"<p>{escape(consent.NEVER_LEAVES)}</p>"
        f"<p><b>Claude :</b> {escape(consent.RECIPIENT)} {escape(consent.RETENTION)}</p>"
        "<h3>Nos engagements (politique de confidentialité)</h3><ol>"
        + "".join(f"<li><b>{escape(p)}</b> — {escape(how)}</li>" for p, how in consent.PROMISES)
        + "</ol>"
    )


class SettingsTab(Enum):
    """The settings' tabs, addressed by name; the value is the label in the list."""

    CLAUDE = "Claude"
    ACCOUNT = "Compte et synchronisation"
    APPEARANCE = "Apparence"
    DATA = "Données"
    ABOUT = "À propos / Confidentialité"


class SettingsPage(QWidget):
    """The list of tabs and one widget per tab (the window listens to each tab's signals)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.addWidget(title_label(self.tr("Paramètres")))
        body = QHBoxLayout()
        self.nav = QListWidget()
        self.nav.setMaximumWidth(230)
        self.nav.setAccessibleName(self.tr("Rubriques des paramètres"))
        self.claude = ClaudeTab(ctx)
        self.account = AccountTab(ctx)
        self.appearance = AppearanceTab(ctx)
        self.data = DataTab(ctx)
        self.about = AboutTab()
        self.tabs: dict[SettingsTab, QWidget] = {
            SettingsTab.CLAUDE: self.claude,
            SettingsTab.ACCOUNT: self.account,
            SettingsTab.APPEARANCE: self.appearance,
            SettingsTab.DATA: self.data,
            SettingsTab.ABOUT: self.about,
        }
        self.stack = QStackedWidget()
        for tab, widget in self.tabs.items():
            self.nav.addItem(self.tr(tab.value))
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        lay.addLayout(body, 1)

    def show_tab(self, tab: SettingsTab) -> None:
        self.nav.setCurrentRow(list(self.tabs).index(tab))

    def show_account(self) -> None:
        """Paramètres › Compte et synchronisation, its conflicts list up to date."""
        self.show_tab(SettingsTab.ACCOUNT)
        self.account.refresh()

    def sync_finished(self, report: SyncReport) -> None:
        self.account.sync_finished(report)

    def set_theme(self, theme: str) -> None:
        self.appearance.set_theme(theme)

    def refresh(self, notice: str = "") -> None:
        """Reload the Claude and account states; `notice` is shown over the account state."""
        self.claude.refresh()
        self.account.refresh(notice)
