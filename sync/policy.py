"""What leaves the machine: the one place that decides (ARCHITECTURE.md, "Sync (only what is needed)").

| data                                                   | synced                                      |
| ------------------------------------------------------ | ------------------------------------------- |
| company profile, certifications, references, staff,    | yes, unless the record is opted out         |
| equipment, administrative documents (metadata only),   |                                             |
| library blocks                                         |                                             |
| consultation metadata: title, buyer, deadline, status  | yes (deadline view on other devices)        |
| proposals and mémoire sections                         | only when the consultation has sync_sections|
| DCE files (blobs), page texts, extractions, analyses,  | never: no table spec exists for them, and   |
| corrections, AI usage                                  | `outgoing_data` only copies listed columns  |

Every outgoing record is built by `outgoing_data` from an explicit list of columns, so a new column
added to a table never leaves the machine until it is listed here. Incoming records are written back
through `incoming_columns`, which keeps only the same listed fields (the server's `data` is opaque to
it and could hold anything).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

MergeKind = Literal["fields", "text"]


POSITION_KEY = "_position"


@dataclass(frozen=True)
class TableSpec:
    table: str
    record_type: str
    # "fields": small values merged field by field; "text": never overwritten (conflict copy).
    merge: MergeKind
    # Plain columns copied to `data` (and back). JSON-column tables use `json_column` instead.
    columns: tuple[str, ...] = ()
    json_column: str | None = None  # the row's JSON document (profile parts)
    position: bool = False  # list order kept in a `position` column (sent as "_position")
    # A date copied out of the JSON document into its own column for expiry queries.
    derived_column: str | None = None
    # The parent a row needs locally (foreign key): (column in data, parent table).
    parent: tuple[str, str] | None = None
    # Values NOT NULL columns get when a received record lacks them (a newer client's record, say).
    defaults: tuple[tuple[str, Any], ...] = ()

    def select_columns(self) -> str:
        """The columns `outgoing_data` needs, plus the sync bookkeeping."""
        cols = ["uuid", "server_rev", "dirty", "deleted", "updated_at"]
        if self.json_column:
            cols.append(self.json_column)
        if self.position:
            cols.append("position")
        cols += list(self.columns)
        return ", ".join(dict.fromkeys(cols))

    def outgoing_condition(self, alias: str = "t") -> str:
        """SQL condition (table aliased `alias`) of the rows allowed to leave the machine: opted-out rows
        never; proposals and sections only for consultations where the user turned mémoire sync on."""
        condition = f"{alias}.sync_opt_out = 0"
        if self.table == "consultations":  # an import that has not committed stays on this machine
            condition += f" AND {alias}.import_state = 'done'"
        elif self.table == "proposals":
            condition += " AND " + _SECTIONS_ON.format(consultation=f"{alias}.consultation_uuid")
        elif self.table == "sections":
            condition += (
                f" AND EXISTS (SELECT 1 FROM proposals p WHERE p.uuid = {alias}.proposal_uuid AND "
                + _SECTIONS_ON.format(consultation="p.consultation_uuid")
                + ")"
            )
        return condition

    def outgoing_data(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The `data` of a record as sent: only the listed fields of the row."""
        data: dict[str, Any] = {}
        if self.json_column:
            loaded = json.loads(row[self.json_column])
            data.update(loaded if isinstance(loaded, dict) else {})
        if self.position:
            data[POSITION_KEY] = row["position"]
        for col in self.columns:
            value = row[col]
            data[col] = bool(value) if col == "sync_sections" else value
        return data

    def incoming_columns(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Column values to write for a record received from the server (unknown keys dropped)."""
        values: dict[str, Any] = {}
        if self.json_column:
            document = {k: v for k, v in data.items() if k != POSITION_KEY}
            values[self.json_column] = json.dumps(
                document, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            )
            if self.derived_column:
                values[self.derived_column] = document.get(self.derived_column)
        if self.position:
            position = data.get(POSITION_KEY, 0)
            values["position"] = position if isinstance(position, int) else 0
        for col in self.columns:
            value = data.get(col)
            if col == "sync_sections":
                value = 1 if value else 0
            values[col] = value
        for col, default in self.defaults:
            if values.get(col) is None:
                values[col] = default
        return values


# Which rows may leave, for the children of a consultation (see TableSpec.outgoing_condition).
_SECTIONS_ON = (
    "EXISTS (SELECT 1 FROM consultations c WHERE c.uuid = {consultation} "
    "AND c.sync_sections = 1 AND c.sync_opt_out = 0)"
)


# Order matters: parents before children (a push batch and a pull page apply in this order).
SPECS: tuple[TableSpec, ...] = (
    TableSpec("company_profile", "company_profile", "fields", json_column="data"),
    TableSpec(
        "certifications",
        "certification",
        "fields",
        json_column="data",
        position=True,
        derived_column="valid_to",
    ),
    TableSpec("company_references", "reference", "fields", json_column="data", position=True),
    TableSpec("staff", "staff", "fields", json_column="data", position=True),
    TableSpec("equipment", "equipment", "fields", json_column="data", position=True),
    # The document's metadata only: its file (blob_sha256) stays on this machine.
    TableSpec(
        "admin_documents",
        "admin_document",
        "fields",
        json_column="data",
        position=True,
        derived_column="expires_on",
    ),
    TableSpec(
        "library_blocks",
        "library_block",
        "text",
        columns=("title", "tags", "body", "reviewed_on"),
        defaults=(("title", ""), ("tags", ""), ("body", "")),
    ),
    # Metadata for the deadline view. sync_sections travels so every device keeps the same choice.
    TableSpec(
        "consultations",
        "consultation",
        "fields",
        columns=("title", "buyer", "deadline", "status", "sync_sections"),
        defaults=(("title", ""), ("status", "a_analyser")),
    ),
    TableSpec(
        "proposals",
        "proposal",
        "fields",
        columns=("consultation_uuid", "lot", "title", "outline_source"),
        parent=("consultation_uuid", "consultations"),
        defaults=(("title", "Mémoire technique"), ("outline_source", "criteria")),
    ),
    TableSpec(
        "sections",
        "section",
        "text",
        columns=(
            "proposal_uuid",
            "parent_uuid",
            "position",
            "level",
            "title",
            "criterion",
            "weight_percent",
            "body",
            "engine",
        ),
        parent=("proposal_uuid", "proposals"),
        defaults=(("position", 0), ("level", 1), ("title", ""), ("body", "")),
    ),
)

BY_TABLE: dict[str, TableSpec] = {s.table: s for s in SPECS}
BY_TYPE: dict[str, TableSpec] = {s.record_type: s for s in SPECS}

# Tables whose content never leaves the machine, whatever the settings (checked by the tests).
NEVER_SYNCED: frozenset[str] = frozenset(
    {"blobs", "extractions", "page_texts", "page_fts", "pieces", "analyses", "analysis_overrides", "ai_usage"}
)
