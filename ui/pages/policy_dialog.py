"""A new version of the privacy policy, shown once it is found at login or sync (issue 18, item 8).

The dialog shows the version, what changed and the link to the full text; « J'ai pris connaissance »
tells the server (POST /v1/me/policy-acknowledgement); « Plus tard » asks again at the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services import account as account_service
from ui.context import AppContext


class PolicyDialog(QDialog):
    def __init__(self, notice: account_service.PolicyNotice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Politique de confidentialité mise à jour"))
        lay = QVBoxLayout(self)
        self.text = QLabel(notice.text())
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(480)
        self.text.setOpenExternalLinks(True)
        lay.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(
            self.tr("J'ai pris connaissance"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.later_button = buttons.addButton(self.tr("Plus tard"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class PolicyWatcher:
    """After each sync (and so after login), shows a pending policy version once per session."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        self.ctx, self.parent = ctx, parent
        self.shown: set[str] = set()
        self.dialog: PolicyDialog | None = None

    def check(self) -> None:
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.parent.tr("Politique de confidentialité"),
            lambda _c: account_service.pending_policy(backend.require_store()),
            on_success=self._show,
        )

    def _show(self, notice: account_service.PolicyNotice | None) -> None:
        if notice is None or notice.version in self.shown or self.dialog is not None:
            return
        self.shown.add(notice.version)
        dialog = PolicyDialog(notice, self.parent)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._answered(result == QDialog.DialogCode.Accepted))
        dialog.open()  # window-modal, not blocking the event loop

    def _answered(self, acknowledged: bool) -> None:
        self.dialog = None
        if not acknowledged:
            return
        backend = self.ctx.backend
        self.ctx.runner.run(
            self.parent.tr("Politique de confidentialité"),
            lambda _c: account_service.acknowledge_policy(backend.require_store()),
        )
