"""Profil entreprise: identity, finances (3 years), assurances, certifications, références,
moyens humains et matériels, documents administratifs — with expiry warnings."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import labels
from app.domain.profile import (
    Address,
    AdminDocKind,
    AdminDocument,
    Certification,
    CompanyProfile,
    Equipment,
    Insurance,
    InsuranceKind,
    Reference,
    Signatory,
    StaffMember,
    Turnover,
)
from app.domain.text import fold
from app.drafting.expiry import EXPIRY_NOTICE_DAYS
from ui.context import AppContext
from ui.style import BAD, FRENCH, WARN, fr_date, fr_short_date
from ui.widgets import SiretEdit, title_label

Column = tuple[str, str, type]  # field, French label, type (str, int, float, date, StrEnum subclass)


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return fr_short_date(value)
    if isinstance(value, StrEnum):
        return labels.label(value)  # "RC professionnelle", never the stored code "rc_pro"
    if isinstance(value, float):
        return FRENCH.toString(value, "f", 2 if value % 1 else 0)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _parse(text: str, kind: type) -> Any:
    text = text.strip()
    if not text:
        return None
    if kind is int:
        return int("".join(ch for ch in text if ch.isdigit() or ch == "-"))
    if kind is float:
        value, ok = FRENCH.toDouble(text.replace(" ", "").replace("\u202f", "").replace("€", ""))
        if not ok:
            value = float(text.replace(" ", "").replace(",", ".").replace("€", ""))
        return value
    if kind is date:
        if "/" in text:
            d, m, y = text.split("/")
            return date(int(y), int(m), int(d))
        return date.fromisoformat(text)
    if kind is list:
        return [t.strip() for t in text.split(",") if t.strip()]
    return text


def _enum_value(text: str, kind: type[StrEnum]) -> str | None:
    """A cell of an enum column: its French label (as shown) or its stored code, back to the code."""
    text = text.strip()
    if not text:
        return None
    wanted = fold(text)
    for member in kind:
        if wanted in (fold(labels.label(member)), fold(member.value)):
            return member.value
    return text  # unknown: the model's validation says which value is expected


class ListTable(QWidget):
    """An editable list of records (one row each) with add/remove buttons; with `sync_table`, a
    last column "Ne pas synchroniser" keeps a saved record on this computer only."""

    sync_toggled = Signal(str, str, bool)  # table, record uuid, keep on this computer only

    def __init__(
        self,
        model: type[BaseModel],
        columns: list[Column],
        expiry_field: str | None = None,
        sync_table: str | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.columns = columns
        self.expiry_field = expiry_field
        self.sync_table = sync_table
        self.local_ids: set[str] = set()
        self._uuids: list[str | None] = []
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, len(columns) + (1 if sync_table else 0))
        headers = [self.tr(c[1]) for c in columns]
        if sync_table:
            headers.append(self.tr("Ne pas synchroniser"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.itemChanged.connect(self._sync_item_changed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        # Rows as high as their wrapped text (a reference's object, a description): nothing cut.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        add = QPushButton(self.tr("Ajouter"))
        add.clicked.connect(self.add_row)
        rem = QPushButton(self.tr("Supprimer la ligne"))
        rem.clicked.connect(self._remove)
        row.addWidget(add)
        row.addWidget(rem)
        row.addStretch()
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        row.addWidget(self.hint)
        lay.addLayout(row)

    def add_row(self) -> None:
        self.table.insertRow(self.table.rowCount())
        self._uuids.append(None)
        self._sync_cell(self.table.rowCount() - 1)

    def _sync_cell(self, row: int) -> None:
        if not self.sync_table:
            return
        uuid = self._uuids[row] if row < len(self._uuids) else None
        cell = QTableWidgetItem()
        if uuid:
            cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            cell.setCheckState(Qt.CheckState.Checked if uuid in self.local_ids else Qt.CheckState.Unchecked)
            cell.setToolTip(
                self.tr("Cochée : cette ligne reste sur cet ordinateur et n'est pas synchronisée.")
            )
        else:
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            cell.setToolTip(self.tr("Enregistrez d'abord le profil pour choisir."))
        self.table.blockSignals(True)
        self.table.setItem(row, len(self.columns), cell)
        self.table.blockSignals(False)

    def set_local_ids(self, ids: set[str]) -> None:
        self.local_ids = set(ids)
        for r in range(self.table.rowCount()):
            self._sync_cell(r)

    def _sync_item_changed(self, item: QTableWidgetItem) -> None:
        if not self.sync_table or item.column() != len(self.columns):
            return
        row = item.row()
        uuid = self._uuids[row] if row < len(self._uuids) else None
        if uuid:
            keep = item.checkState() == Qt.CheckState.Checked
            (self.local_ids.add if keep else self.local_ids.discard)(uuid)
            self.sync_toggled.emit(self.sync_table, uuid, keep)

    def _remove(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self._uuids.pop(r)

    def set_items(self, items: list[BaseModel]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(items))
        self.table.blockSignals(False)
        self._uuids = [getattr(i, "uuid", None) for i in items]
        today = date.today()
        warn = 0
        for r, item in enumerate(items):
            for c, (name, _label, _kind) in enumerate(self.columns):
                cell = QTableWidgetItem(_to_text(getattr(item, name)))
                self.table.setItem(r, c, cell)
            self._sync_cell(r)
            if self.expiry_field:
                expiry = getattr(item, self.expiry_field)
                if isinstance(expiry, date):
                    col = [c[0] for c in self.columns].index(self.expiry_field)
                    expiry_cell = self.table.item(r, col)
                    if expiry_cell is not None and expiry < today:
                        expiry_cell.setForeground(BAD)
                        expiry_cell.setToolTip(self.tr("Expiré"))
                        warn += 1
                    elif expiry_cell is not None and expiry <= today + timedelta(days=EXPIRY_NOTICE_DAYS):
                        expiry_cell.setForeground(WARN)
                        expiry_cell.setToolTip(self.tr("Expire bientôt"))
                        warn += 1
        self.hint.setText(
            self.tr("⚠ %d document(s) expiré(s) ou expirant sous %d jours") % (warn, EXPIRY_NOTICE_DAYS)
            if warn
            else ""
        )

    def items(self) -> list[BaseModel]:
        out: list[BaseModel] = []
        for r in range(self.table.rowCount()):
            data: dict[str, Any] = {}
            empty = True
            for c, (name, label, kind) in enumerate(self.columns):
                cell = self.table.item(r, c)
                text = cell.text() if cell is not None else ""
                if text.strip():
                    empty = False
                try:
                    value = _enum_value(text, kind) if issubclass(kind, StrEnum) else _parse(text, kind)
                except (ValueError, TypeError) as exc:
                    raise ValueError(f"{label}, ligne {r + 1} : valeur « {text} » non reconnue") from exc
                if value is not None:
                    data[name] = value
            if empty:
                continue
            if "uuid" in self.model.model_fields:
                data["uuid"] = self._uuids[r] if r < len(self._uuids) else None
            out.append(self.model.model_validate(data))
        return out


class AdminDocsTable(ListTable):
    """Documents administratifs: the ListTable of the profile, with each document's file kept in the
    encrypted store (*Joindre le fichier…*, *Ouvrir*, *Retirer le fichier*) and its validity said in
    words (expired, soon expired, valid until)."""

    FILE_FILTER = "PDF ou image (*.pdf *.png *.jpg *.jpeg)"

    def __init__(self, ctx: AppContext, columns: list[Column]) -> None:
        super().__init__(AdminDocument, columns, expiry_field="expires_on", sync_table="admin_documents")
        self.ctx = ctx
        self._files: list[str] = []  # the file name of each row's document (kept when saving)
        self.kept: dict[str, str] = {}  # document uuid → name of the file really kept in the store
        first = self.table.columnCount()
        self.file_col, self.validity_col = first, first + 1
        self.table.setColumnCount(first + 2)
        self.table.setHorizontalHeaderItem(self.file_col, QTableWidgetItem(self.tr("Fichier joint")))
        self.table.setHorizontalHeaderItem(self.validity_col, QTableWidgetItem(self.tr("Validité")))
        row = QHBoxLayout()
        self.attach_button = QPushButton(self.tr("Joindre le fichier…"))
        self.attach_button.setToolTip(
            self.tr("PDF, PNG ou JPEG, 25 Mo au plus ; gardé chiffré dans Maître AO")
        )
        self.attach_button.clicked.connect(self._choose_file)
        self.open_button = QPushButton(self.tr("Ouvrir"))
        self.open_button.clicked.connect(self.open_file)
        self.detach_button = QPushButton(self.tr("Retirer le fichier"))
        self.detach_button.clicked.connect(self.remove_file)
        for b in (self.attach_button, self.open_button, self.detach_button):
            row.addWidget(b)
        row.addStretch()
        self.file_status = QLabel()
        self.file_status.setWordWrap(True)
        self.file_status.setAccessibleName(self.tr("Message des fichiers joints"))
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        layout.addWidget(self.file_status)
        # Where "Ouvrir" writes the decrypted copy the system viewer opens (a private temporary folder).
        self.open_folder = Path(tempfile.gettempdir()) / "maitre-ao-documents"
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

    # --- rows -----------------------------------------------------------------------------
    def add_row(self) -> None:
        super().add_row()
        self._files.append("")
        self._show_file(self.table.rowCount() - 1)

    def _remove(self) -> None:
        r = self.table.currentRow()
        super()._remove()
        if 0 <= r < len(self._files):
            self._files.pop(r)

    def set_items(self, items: list[BaseModel]) -> None:
        super().set_items(items)
        self._files = [str(getattr(i, "file_name", "") or "") for i in items]
        today = date.today()
        for r, item in enumerate(items):
            self._show_file(r)
            expiry = getattr(item, "expires_on", None)
            cell = QTableWidgetItem(self._validity(expiry, today))
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if isinstance(expiry, date) and expiry < today:
                cell.setForeground(BAD)
            elif isinstance(expiry, date) and expiry <= today + timedelta(days=EXPIRY_NOTICE_DAYS):
                cell.setForeground(WARN)
            self.table.setItem(r, self.validity_col, cell)

    def _validity(self, expiry: object, today: date) -> str:
        if not isinstance(expiry, date):
            return self.tr("sans date d'expiration")
        when = fr_date(expiry, with_time=False)
        if expiry < today:
            return self.tr("⚠ expiré le %s") % when
        if expiry <= today + timedelta(days=EXPIRY_NOTICE_DAYS):
            return self.tr("⚠ expire bientôt, le %s") % when
        return self.tr("valable jusqu'au %s") % when

    def _show_file(self, r: int) -> None:
        uuid = self._uuids[r] if r < len(self._uuids) else None
        name = self.kept.get(uuid, "") if uuid else ""
        cell = QTableWidgetItem(name or self.tr("aucun fichier"))
        cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.table.blockSignals(True)
        self.table.setItem(r, self.file_col, cell)
        self.table.blockSignals(False)

    def items(self) -> list[BaseModel]:
        out = super().items()
        names = [
            self._files[r] if r < len(self._files) else ""
            for r in range(self.table.rowCount())
            if any(
                (cell := self.table.item(r, c)) is not None and cell.text().strip()
                for c in range(len(self.columns))
            )
        ]
        return [item.model_copy(update={"file_name": name}) for item, name in zip(out, names, strict=True)]

    # --- files ----------------------------------------------------------------------------
    def _saved_row(self) -> tuple[int, str] | None:
        """(row, document uuid) of the selected row, or None after saying what to do."""
        r = self.table.currentRow()
        if r < 0:
            self.file_status.setText(self.tr("Choisissez d'abord le document dans le tableau."))
            return None
        uuid = self._uuids[r] if r < len(self._uuids) else None
        if not uuid:
            self.file_status.setText(
                self.tr("Enregistrez d'abord le profil : le fichier se joint à un document enregistré.")
            )
            return None
        return r, uuid

    def _choose_file(self) -> None:
        if self._saved_row() is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Joindre le fichier du document"), "", self.tr(self.FILE_FILTER)
        )
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> None:
        """Keep `path` as the file of the selected document (PDF or image; French message otherwise)."""
        found = self._saved_row()
        if found is None:
            return
        r, uuid = found
        if path.suffix.lower() not in (".pdf", ".png", ".jpg", ".jpeg"):
            self.file_status.setText(
                self.tr("%s n'est pas joint : seuls les PDF et les images PNG ou JPEG sont acceptés.")
                % path.name
            )
            return
        backend = self.ctx.backend

        def ok(_r: object) -> None:
            self.kept[uuid] = path.name
            if r < len(self._files):
                self._files[r] = path.name
                self._show_file(r)
            self.file_status.setText(
                self.tr("%s est gardé, chiffré, dans Maître AO : il sera joint au dossier de remise.")
                % path.name
            )

        self.ctx.runner.run(
            self.tr("Fichier du document"),
            lambda _c: backend.attach_document_file(uuid, path),
            on_success=ok,
            on_failure=lambda m: self.file_status.setText(self.tr("Fichier non joint : %s") % m),
        )

    def open_file(self) -> None:
        found = self._saved_row()
        if found is None:
            return
        backend, folder = self.ctx.backend, self.open_folder
        self.ctx.runner.run(
            self.tr("Ouverture du fichier"),
            lambda _c: backend.copy_document_file(found[1], folder),
            on_success=lambda path: self.open_url(QUrl.fromLocalFile(str(path))),
            on_failure=self.file_status.setText,
        )

    def remove_file(self) -> None:
        found = self._saved_row()
        if found is None:
            return
        r, uuid = found
        backend = self.ctx.backend

        def ok(_r: object) -> None:
            self.kept.pop(uuid, None)
            if r < len(self._files):
                self._files[r] = ""
                self._show_file(r)
            self.file_status.setText(self.tr("Fichier retiré : le document reste dans le profil."))

        self.ctx.runner.run(
            self.tr("Fichier du document"),
            lambda _c: backend.remove_document_file(uuid),
            on_success=ok,
            on_failure=self.file_status.setText,
        )


class ProfilePage(QWidget):
    message = Signal(str, str)
    saved = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.profile: CompanyProfile | None = None
        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title_label(self.tr("Profil entreprise")))
        head.addStretch()
        self.save_button = QPushButton(self.tr("Enregistrer"))
        self.save_button.setToolTip(self.tr("Ctrl+S"))
        self.save_button.clicked.connect(self.save)
        # No dead end: a profile JSON (the CLI's format) comes in and goes out from here too.
        self.import_button = QPushButton(self.tr("Importer un profil…"))
        self.import_button.clicked.connect(self._choose_import)
        self.export_button = QPushButton(self.tr("Exporter le profil…"))
        self.export_button.clicked.connect(self._choose_export)
        head.addWidget(self.import_button)
        head.addWidget(self.export_button)
        head.addWidget(self.save_button)
        lay.addLayout(head)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.activated.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.tabs = QTabWidget()
        lay.addWidget(self.tabs, 1)

        ident = QWidget()
        form = QFormLayout(ident)
        self.f_name = QLineEdit()
        self.f_trade = QLineEdit()
        self.f_siret = SiretEdit()
        self.f_form = QLineEdit()
        self.f_naf = QLineEdit()
        self.f_street = QLineEdit()
        self.f_zip = QLineEdit()
        self.f_city = QLineEdit()
        self.f_email = QLineEdit()
        self.f_phone = QLineEdit()
        self.f_web = QLineEdit()
        self.f_staff = QSpinBox()
        self.f_staff.setMaximum(1_000_000)
        self.f_pme = QCheckBox(self.tr("L'entreprise est une PME"))
        self.f_sign_name = QLineEdit()
        self.f_sign_role = QLineEdit()
        self.f_presentation = QPlainTextEdit()
        self.f_presentation.setMaximumHeight(110)
        for label, w in (
            ("Raison sociale :", self.f_name),
            ("Nom commercial :", self.f_trade),
            ("SIRET :", self.f_siret),
            ("", self.f_siret.feedback),
            ("Forme juridique :", self.f_form),
            ("Code NAF :", self.f_naf),
            ("Adresse :", self.f_street),
            ("Code postal :", self.f_zip),
            ("Ville :", self.f_city),
            ("E-mail :", self.f_email),
            ("Téléphone :", self.f_phone),
            ("Site web :", self.f_web),
            ("Effectif :", self.f_staff),
            ("", self.f_pme),
            ("Signataire :", self.f_sign_name),
            ("Qualité du signataire :", self.f_sign_role),
            ("Présentation :", self.f_presentation),
        ):
            form.addRow(self.tr(label), w)
            if label:
                w.setAccessibleName(self.tr(label.rstrip(" :")))
        self.tabs.addTab(ident, self.tr("Identité"))
        self.finances = ListTable(
            Turnover,
            [
                ("annee", "Exercice", int),
                ("montant_ht", "Chiffre d'affaires HT (€)", float),
                ("part_objet_marche_ht", "Dont objet du marché (€)", float),
            ],
        )
        self.insurances = ListTable(
            Insurance,
            [
                ("kind", "Type d'assurance", InsuranceKind),
                ("assureur", "Assureur", str),
                ("numero_police", "N° de police", str),
                ("montant_garanti", "Montant garanti (€)", float),
                ("valid_until", "Valable jusqu'au", date),
            ],
            expiry_field="valid_until",
        )
        self.certifications = ListTable(
            Certification,
            [
                ("name", "Certification", str),
                ("body", "Organisme", str),
                ("number", "Numéro", str),
                ("valid_from", "Depuis le", date),
                ("valid_to", "Valable jusqu'au", date),
            ],
            expiry_field="valid_to",
            sync_table="certifications",
        )
        self.references = ListTable(
            Reference,
            [
                ("client", "Client", str),
                ("object", "Objet", str),
                ("year", "Année", int),
                ("amount", "Montant HT (€)", float),
                ("contact", "Contact", str),
                ("description", "Description", str),
            ],
            sync_table="company_references",
        )
        self.staff = ListTable(
            StaffMember,
            [
                ("role", "Fonction", str),
                ("name", "Nom", str),
                ("count", "Nombre", int),
                ("qualification", "Qualification", str),
                ("years_experience", "Années d'expérience", int),
            ],
            sync_table="staff",
        )
        self.equipment = ListTable(
            Equipment,
            [
                ("designation", "Désignation", str),
                ("quantity", "Quantité", int),
                ("description", "Description", str),
            ],
            sync_table="equipment",
        )
        self.admin_docs = AdminDocsTable(
            ctx,
            [
                (
                    "kind",
                    "Type de document",
                    AdminDocKind,
                ),
                ("label", "Libellé", str),
                ("issued_on", "Délivré le", date),
                ("expires_on", "Expire le", date),
            ],
        )
        for table, name in (
            (self.finances, "Finances"),
            (self.insurances, "Assurances"),
            (self.certifications, "Certifications"),
            (self.references, "Références"),
            (self.staff, "Moyens humains"),
            (self.equipment, "Moyens matériels"),
            (self.admin_docs, "Documents administratifs"),
        ):
            self.tabs.addTab(table, self.tr(name))
            table.sync_toggled.connect(self.set_record_sync)

    def refresh(self) -> None:
        self.status.clear()
        backend = self.ctx.backend
        tables = [t for t in self.sync_tables() if t.sync_table]

        def work(_c: object) -> tuple[CompanyProfile | None, dict[str, set[str]], dict[str, str]]:
            local = {str(t.sync_table): backend.local_only(str(t.sync_table)) for t in tables}
            return backend.load_profile(), local, backend.document_files()

        def show(result: tuple[CompanyProfile | None, dict[str, set[str]], dict[str, str]]) -> None:
            profile, local, kept = result
            for t in tables:
                t.local_ids = local.get(str(t.sync_table), set())
            self.admin_docs.kept = kept
            self._fill(profile)

        self.ctx.runner.run(
            self.tr("Profil entreprise"), work, on_success=show, on_failure=self.status.setText
        )

    def sync_tables(self) -> list[ListTable]:
        return [self.certifications, self.references, self.staff, self.equipment, self.admin_docs]

    def set_record_sync(self, table: str, uuid: str, keep_local: bool) -> None:
        backend = self.ctx.backend
        done = (
            self.tr("Cette ligne reste sur cet ordinateur : elle ne sera pas synchronisée.")
            if keep_local
            else self.tr("Cette ligne sera synchronisée avec votre compte.")
        )
        self.ctx.runner.run(
            self.tr("Synchronisation d'une ligne"),
            lambda _c: backend.set_record_sync(table, uuid, keep_local),
            on_success=lambda _r: self.status.setText(done),
            on_failure=self.status.setText,
        )

    def _fill(self, profile: CompanyProfile | None) -> None:
        self.profile = profile
        if profile is None:
            self.status.setText(
                self.tr("Aucun profil enregistré : complétez au moins la raison sociale et le SIRET.")
            )
            return
        p = profile
        self.f_name.setText(p.raison_sociale)
        self.f_trade.setText(p.nom_commercial)
        self.f_siret.setText(p.siret)
        self.f_form.setText(p.forme_juridique)
        self.f_naf.setText(p.code_naf)
        self.f_street.setText(p.adresse.ligne1)
        self.f_zip.setText(p.adresse.code_postal)
        self.f_city.setText(p.adresse.ville)
        self.f_email.setText(p.email)
        self.f_phone.setText(p.telephone)
        self.f_web.setText(p.site_web)
        self.f_staff.setValue(p.effectif or 0)
        self.f_pme.setChecked(bool(p.pme))
        self.f_sign_name.setText(p.signataire.name if p.signataire else "")
        self.f_sign_role.setText(p.signataire.role if p.signataire else "")
        self.f_presentation.setPlainText(p.presentation)
        self.finances.set_items(list(p.chiffre_affaires))
        self.insurances.set_items(list(p.assurances))
        self.certifications.set_items(list(p.certifications))
        self.references.set_items(list(p.references))
        self.staff.set_items(list(p.moyens_humains))
        self.equipment.set_items(list(p.moyens_materiels))
        self.admin_docs.set_items(list(p.documents_administratifs))

    def build(self) -> CompanyProfile:
        base = self.profile.model_dump() if self.profile else {}
        signatory = None
        if self.f_sign_name.text().strip():
            signatory = Signatory(name=self.f_sign_name.text().strip(), role=self.f_sign_role.text().strip())
        base.update(
            raison_sociale=self.f_name.text().strip(),
            nom_commercial=self.f_trade.text().strip(),
            siret=self.f_siret.text(),
            forme_juridique=self.f_form.text().strip(),
            code_naf=self.f_naf.text().strip(),
            adresse=Address(
                ligne1=self.f_street.text().strip(),
                code_postal=self.f_zip.text().strip(),
                ville=self.f_city.text().strip(),
            ),
            email=self.f_email.text().strip(),
            telephone=self.f_phone.text().strip(),
            site_web=self.f_web.text().strip(),
            effectif=self.f_staff.value() or None,
            pme=self.f_pme.isChecked(),
            signataire=signatory,
            presentation=self.f_presentation.toPlainText().strip(),
            chiffre_affaires=self.finances.items(),
            assurances=self.insurances.items(),
            certifications=self.certifications.items(),
            references=self.references.items(),
            moyens_humains=self.staff.items(),
            moyens_materiels=self.equipment.items(),
            documents_administratifs=self.admin_docs.items(),
        )
        return CompanyProfile.model_validate(base)

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Importer un profil d'entreprise"), str(Path.home()), self.tr("Profil (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        backend = self.ctx.backend

        def ok(profile: CompanyProfile) -> None:
            self.refresh()
            self.status.setText(self.tr("Profil importé : %s.") % profile.raison_sociale)
            self.saved.emit()

        self.ctx.runner.run(
            self.tr("Import du profil"),
            lambda _c: backend.import_profile(path),
            on_success=ok,
            on_failure=self.status.setText,
        )

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Exporter le profil d'entreprise"),
            str(Path.home() / "profil.json"),
            self.tr("Profil (*.json)"),
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from app.services import profile as profile_service

        backend = self.ctx.backend

        def work(_c: object) -> bool:
            company = backend.load_profile()
            if company is None:
                return False
            path.write_text(profile_service.profile_json(company), encoding="utf-8")
            return True

        def done(written: bool) -> None:
            self.status.setText(
                self.tr("Profil exporté dans %s.") % path.name
                if written
                else self.tr("Aucun profil enregistré : rien à exporter.")
            )

        self.ctx.runner.run(
            self.tr("Export du profil"), work, on_success=done, on_failure=self.status.setText
        )

    def save(self) -> None:
        try:
            profile = self.build()
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err.get("loc", ()))
            self.status.setText(self.tr("Profil non enregistré : %s (%s)") % (err.get("msg", ""), where))
            return
        except ValueError as exc:
            self.status.setText(self.tr("Profil non enregistré : %s") % exc)
            return
        backend = self.ctx.backend

        def ok(_r: object) -> None:
            self.refresh()
            self.status.setText(self.tr("Profil enregistré."))
            self.saved.emit()

        self.ctx.runner.run(
            self.tr("Enregistrement du profil"),
            lambda _c: backend.save_profile(profile),
            on_success=ok,
            on_failure=self.status.setText,
        )
