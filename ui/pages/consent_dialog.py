"""The question asked once before DCE text of a consultation is sent to Claude (issue 18, item 7).

`with_consent(...)` reads on the database worker whether the consultation (or the global setting)
already answered; if not, it shows what would be sent, to whom and what is kept, keeps the answer
(for the consultation; for all of them with « Ne plus me demander »), then runs `then()` — only when
the user agreed. Nothing is sent before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.services import consent
from ui.context import AppContext
from ui.operations import user_message


class ConsentDialog(QDialog):
    def __init__(self, notice: consent.Disclosure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Envoyer le texte du DCE à Claude ?"))
        self.setModal(True)
        lay = QVBoxLayout(self)
        self.text = QLabel(notice.text())
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(520)
        lay.addWidget(self.text)
        self.remember = QCheckBox(self.tr("Ne plus me demander (vaut pour toutes les consultations)"))
        self.remember.setAccessibleName(self.tr("Ne plus me demander"))
        lay.addWidget(self.remember)
        buttons = QDialogButtonBox()
        self.send = buttons.addButton(self.tr("Envoyer à Claude"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.refuse = buttons.addButton(self.tr("Ne pas envoyer"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


# Tests replace this to answer the dialog: (notice, parent) -> (granted, remember).
def ask(notice: consent.Disclosure, parent: QWidget | None) -> tuple[bool, bool]:
    dialog = ConsentDialog(notice, parent)
    granted = dialog.exec() == QDialog.DialogCode.Accepted
    return granted, dialog.remember.isChecked()


def with_consent(
    ctx: AppContext,
    parent: QWidget,
    uuid: str,
    engine: str,
    purpose: str,
    then: Callable[[], None],
    on_refused: Callable[[str], None] | None = None,
) -> None:
    """Run `then()` once sending DCE text of `uuid` to Claude is agreed (asking if needed).

    The store is read on the database worker (the UI waits in its own event loop, a few ms); the
    piece texts are counted only when the question must be asked."""
    backend = ctx.backend

    def check() -> tuple[consent.Disclosure | None, bool | None]:
        return consent.for_consultation(backend.require_store(), uuid, engine, purpose, ctx.settings)

    try:
        notice, decided = ctx.runner.call(check)
    except Exception as exc:  # the store went away: say so, send nothing
        if on_refused is not None:
            on_refused(user_message(exc))
        return
    if notice is None:
        then()
        return
    if decided is False:
        if on_refused is not None:
            on_refused(consent.ConsentRequired(notice, refused=True).message)
        return
    granted, remember = ask(notice, parent)
    store = backend.require_store()
    ctx.runner.call(lambda: consent.record(store, uuid, granted, remember=remember, settings=ctx.settings))
    if granted:
        then()
