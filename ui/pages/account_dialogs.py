"""Compte et synchronisation: the conflict copies and their resolve view, and "Supprimer mon compte"."""

from __future__ import annotations

import difflib
import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.style import fr_short_date

if TYPE_CHECKING:
    from app.services.account import ConflictRow, Keep

DELETE_WORD = "SUPPRIMER"


def delete_confirmed(typed: str, email: str) -> bool:
    """The account is erased only when the user typed its e-mail address or SUPPRIMER."""
    typed = typed.strip()
    if not typed:
        return False
    return typed == DELETE_WORD or (bool(email) and typed.casefold() == email.strip().casefold())


CHANGED_STYLE = "background-color: #ffe08a; color: #3b2f00"


def diff_html(mine: str, theirs: str) -> tuple[str, str]:
    """Both texts as HTML with the words that differ highlighted (what the user must compare)."""
    a, b = re.split(r"(\s+)", mine), re.split(r"(\s+)", theirs)

    def render(tokens: list[str], changed: set[int]) -> str:
        runs: list[tuple[bool, str]] = []  # (highlighted, text), consecutive tokens merged
        for i, tok in enumerate(tokens):
            # A space between two changed words is part of the change (one highlighted run).
            inside = not tok.strip() and i - 1 in changed and i + 1 in changed
            marked = (i in changed and bool(tok.strip())) or inside
            if runs and runs[-1][0] == marked:
                runs[-1] = (marked, runs[-1][1] + tok)
            else:
                runs.append((marked, tok))
        out = []
        for marked, text in runs:
            escaped = html.escape(text).replace("\n", "<br>")
            out.append(f'<span style="{CHANGED_STYLE}">{escaped}</span>' if marked else escaped)
        return "".join(out)

    changed_a: set[int] = set()
    changed_b: set[int] = set()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changed_a.update(range(i1, i2))
            changed_b.update(range(j1, j2))
    return render(a, changed_a), render(b, changed_b)


class ConflictList(QWidget):
    """The open conflict copies; a double-click (or "Départager…") opens the resolve view."""

    resolve_requested = Signal(object)  # ConflictRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ConflictRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        lay.addWidget(self.heading)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Conflits de synchronisation"))
        self.list.setMaximumHeight(130)
        self.list.itemDoubleClicked.connect(lambda _i: self._open())
        lay.addWidget(self.list)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Départager…"))
        self.open_button.clicked.connect(self._open)
        row.addWidget(self.open_button)
        row.addStretch()
        lay.addLayout(row)
        self.set_rows([])

    def set_rows(self, rows: list[ConflictRow]) -> None:
        self.rows = rows
        self.list.clear()
        for c in rows:
            when = fr_short_date(c.created_at[:10]) if c.created_at else ""
            item = QListWidgetItem(f"{c.kind.capitalize()} — {c.title}" + (f" ({when})" if when else ""))
            item.setToolTip(self.tr("Double-cliquez pour comparer les deux versions."))
            self.list.addItem(item)
        if rows:
            self.heading.setText(
                self.tr(
                    "<b>Conflits à départager : %d</b><br>Le même texte a été modifié sur deux appareils. "
                    "Rien n'a été perdu : votre version est gardée en copie en attendant votre choix."
                )
                % len(rows)
            )
            self.list.setCurrentRow(0)
        else:
            self.heading.setText(self.tr("Aucun conflit de synchronisation."))
        self.list.setVisible(bool(rows))
        self.open_button.setVisible(bool(rows))

    def _open(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.rows):
            self.resolve_requested.emit(self.rows[row])


class ConflictDialog(QDialog):
    """Local and server text side by side; the choice is `choice` ("local"/"server") on accept."""

    def __init__(self, conflict: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: Keep = "server"
        self.setWindowTitle(self.tr("Départager un conflit"))
        self.resize(900, 520)
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "<b>%s — %s</b><br>Ce texte a été modifié sur cet ordinateur et sur un autre appareil. "
                "Choisissez la version à garder ; l'autre sera abandonnée."
            )
            % (conflict.kind.capitalize(), conflict.title)
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        grid = QGridLayout()
        self.local_text = QTextEdit()
        self.server_text = QTextEdit()
        if conflict.server_text is None:
            self.local_text.setPlainText(conflict.local_text)
            self.server_text.setPlainText(self.tr("(supprimé sur un autre appareil)"))
        else:
            mine, theirs = diff_html(conflict.local_text, conflict.server_text)
            self.local_text.setHtml(mine)
            self.server_text.setHtml(theirs)
        for col, (label, box) in enumerate(
            (
                (self.tr("Ma version (cet ordinateur)"), self.local_text),
                (self.tr("Version du serveur (autre appareil)"), self.server_text),
            )
        ):
            title = QLabel(f"<b>{label}</b>")
            box.setReadOnly(True)
            box.setAccessibleName(label)
            grid.addWidget(title, 0, col)
            grid.addWidget(box, 1, col)
        lay.addLayout(grid, 1)
        legend = QLabel(self.tr("Surligné : ce qui diffère entre les deux versions."))
        legend.setObjectName("muted")
        lay.addWidget(legend)
        buttons = QHBoxLayout()
        later = QPushButton(self.tr("Plus tard"))
        later.clicked.connect(self.reject)
        self.keep_local = QPushButton(self.tr("Garder ma version"))
        self.keep_local.clicked.connect(lambda: self._choose("local"))
        self.keep_server = QPushButton(self.tr("Garder la version du serveur"))
        self.keep_server.clicked.connect(lambda: self._choose("server"))
        buttons.addWidget(later)
        buttons.addStretch()
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_server)
        lay.addLayout(buttons)

    def _choose(self, keep: Keep) -> None:
        self.choice = keep
        self.accept()


class DeleteAccountDialog(QDialog):
    """Confirmation of "Supprimer mon compte": type the e-mail or SUPPRIMER, and the password (the server
    erases only for a session opened with it minutes ago); optional local wipe."""

    def __init__(self, email: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.email = email
        self.setWindowTitle(self.tr("Supprimer mon compte"))
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "Votre compte Maître AO (%s) et tout ce qu'il garde sur le serveur seront effacés "
                "définitivement : profil, bibliothèque, consultations et mémoires synchronisés. "
                "Votre abonnement éventuel prend fin. Cette action ne peut pas être annulée.<br><br>"
                "Tapez votre adresse e-mail ou <b>%s</b> pour confirmer :"
            )
            % (email or self.tr("compte connecté"), DELETE_WORD)
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(text)
        self.typed = QLineEdit()
        self.typed.setAccessibleName(self.tr("Confirmation de la suppression du compte"))
        self.typed.setPlaceholderText(email or DELETE_WORD)
        lay.addWidget(self.typed)
        password_label = QLabel(self.tr("Votre mot de passe, pour confirmer que c'est bien vous :"))
        lay.addWidget(password_label)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mot de passe du compte"))
        password_label.setBuddy(self.password)
        lay.addWidget(self.password)
        self.wipe = QCheckBox(self.tr("Effacer aussi toutes les données de cet ordinateur"))
        self.wipe.setToolTip(
            self.tr(
                "Sans cette case, vos données restent sur cet ordinateur et l'application fonctionne sans compte."
            )
        )
        lay.addWidget(self.wipe)
        lay.addStretch(1)  # spare height (from the wrapped text above) goes here, not between the fields
        buttons = QHBoxLayout()
        cancel = QPushButton(self.tr("Annuler"))
        cancel.clicked.connect(self.reject)
        self.confirm = QPushButton(self.tr("Supprimer définitivement mon compte"))
        self.confirm.setStyleSheet("color: #c62828")
        self.confirm.setEnabled(False)
        self.confirm.clicked.connect(self.accept)
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        lay.addLayout(buttons)
        self.typed.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)

    def _update(self) -> None:
        self.confirm.setEnabled(
            delete_confirmed(self.typed.text(), self.email) and bool(self.password.text())
        )
