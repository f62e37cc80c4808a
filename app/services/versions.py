"""The same DCE imported twice, and new versions (*modificatifs*) of a DCE.

`import_checked` imports like `consultations.import_dce`, then compares the content hash of the pieces
(`repo_versions.fingerprint_of`) with the consultations already there:
- same content and no new version asked: the new copy is removed and the existing consultation is
  returned (`outcome == "duplicate"`), nothing is created;
- `new_version` (True, or the id of the consultation it replaces): kept as a new consultation linked
  to the previous one, with the differences computed and stored — pieces added, removed, changed, and
  the analysis fields that changed, deadline first (`VersionDiff`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.domain.analysis import Analysis
from app.domain.errors import InvalidInput
from app.domain.labels import ANALYSIS_FIELD_LABELS, label, short_piece_label
from app.domain.numbers import number, percent
from app.services import consultations
from app.services.consultations import ImportResult
from app.services.tracking import parse_moment
from local_store import repo_consultations as repo_c
from local_store import repo_versions
from local_store.repo_consultations import ConsultationRow
from local_store.store import Store

log = logging.getLogger(__name__)

UNKNOWN = "non précisé"


@dataclass(frozen=True, slots=True)
class PieceChange:
    path: str
    kind: str  # French label of the piece kind
    change: str  # "ajoutée", "retirée", "modifiée"


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(slots=True)
class VersionDiff:
    previous_uuid: str
    pieces: list[PieceChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.pieces and not self.fields

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_uuid": self.previous_uuid,
            "pieces": [asdict(p) for p in self.pieces],
            "fields": [asdict(f) for f in self.fields],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VersionDiff:
        return cls(
            str(data["previous_uuid"]),
            [PieceChange(**p) for p in data.get("pieces", [])],
            [FieldChange(**f) for f in data.get("fields", [])],
        )

    def lines(self) -> list[str]:
        """The differences in French, one per line (deadline first)."""
        if self.empty:
            return ["Aucune différence avec la version précédente."]
        out = [f"{f.label} : {f.before} → {f.after}" for f in self.fields]
        out += [f"Pièce {p.change} : {p.path} ({p.kind})" for p in self.pieces]
        return out


@dataclass(slots=True)
class CheckedImport:
    outcome: str  # "imported", "duplicate", "new_version"
    consultation_uuid: str  # the new consultation, or the existing one for a duplicate
    result: ImportResult | None = None  # None for a duplicate (nothing kept)
    diff: VersionDiff | None = None  # for a new version
    version: int = 1
    related: list[ConsultationRow] = field(default_factory=list)  # same reference, other content


# --- values as the user reads them ------------------------------------------------------------------
def _value(name: str, value: Any) -> str:
    if value is None or value == [] or value == "":
        return UNKNOWN
    if name in ("deadline", "questions_deadline", "site_visit_date"):
        when = parse_moment(str(value))
        if isinstance(when, datetime):
            return f"{when:%d/%m/%Y} à {when.hour}h{when.minute:02d}"
        return f"{when:%d/%m/%Y}" if when is not None else str(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if name == "lots":
        return " ; ".join(f"Lot {lot['number']} : {lot.get('title') or ''}".strip() for lot in value)
    if name == "criteria":
        return " ; ".join(
            c["name"] + ("" if c.get("weight_percent") is None else f" {percent(c['weight_percent'])}")
            for c in value
        )
    if name == "required_documents":
        return ", ".join(label(v) for v in value)
    if name in ("procedure", "site_visit"):
        return label(str(value))
    if isinstance(value, int | float):
        return number(value)
    return str(value)


def compare_analyses(before: Analysis | None, after: Analysis | None) -> list[FieldChange]:
    old = before.to_contract() if before else {}
    new = after.to_contract() if after else {}
    changes = []
    for name, text in ANALYSIS_FIELD_LABELS.items():
        if old.get(name) != new.get(name):
            was, now = _value(name, old.get(name)), _value(name, new.get(name))
            if was != now:
                changes.append(FieldChange(name, text, was, now))
    return changes


def compare(store: Store, previous_uuid: str, new_uuid: str) -> VersionDiff:
    """What changed from one consultation's DCE to another's: pieces by path, then analysis fields."""
    old = {p.path: p for p in consultations.list_pieces(store, previous_uuid)}
    new = {p.path: p for p in consultations.list_pieces(store, new_uuid)}
    pieces = [
        PieceChange(path, short_piece_label(new[path].kind), "ajoutée")
        for path in sorted(new.keys() - old.keys())
    ]
    pieces += [
        PieceChange(path, short_piece_label(old[path].kind), "retirée")
        for path in sorted(old.keys() - new.keys())
    ]
    pieces += [
        PieceChange(path, short_piece_label(new[path].kind), "modifiée")
        for path in sorted(old.keys() & new.keys())
        if old[path].sha256 and new[path].sha256 and old[path].sha256 != new[path].sha256
    ]
    fields = compare_analyses(
        consultations.get_analysis(store, previous_uuid), consultations.get_analysis(store, new_uuid)
    )
    return VersionDiff(previous_uuid, pieces, fields)


# --- lookups -------------------------------------------------------------------------------------------
def same_dce(store: Store, consultation_uuid: str) -> list[ConsultationRow]:
    """Other consultations whose pieces have the same content, most recent first."""
    mine = repo_versions.fingerprint(store, consultation_uuid)
    if mine is None:
        return []
    rows = [r for r in repo_c.list_all(store) if r.uuid != consultation_uuid]
    found = [r for r in rows if repo_versions.fingerprint(store, r.uuid) == mine]
    return sorted(found, key=lambda r: r.created_at, reverse=True)


def same_reference(store: Store, consultation_uuid: str) -> list[ConsultationRow]:
    """Other consultations with the same buyer's reference (or, without one, the same source name)."""
    me = repo_c.get(store, consultation_uuid)
    if me is None:
        return []
    rows = [r for r in repo_c.list_all(store) if r.uuid != consultation_uuid]
    if me.reference:
        found = [
            r for r in rows if r.reference and r.reference.strip().lower() == me.reference.strip().lower()
        ]
    else:
        found = [r for r in rows if r.source_name and r.source_name == me.source_name]
    return sorted(found, key=lambda r: r.created_at, reverse=True)


def version_info(store: Store, consultation_uuid: str) -> tuple[int, VersionDiff] | None:
    """(version number, differences with the previous version) of a consultation imported as a new
    version; None for a first version."""
    data = repo_versions.version(store, consultation_uuid)
    if data is None:
        return None
    return int(data.get("version", 2)), VersionDiff.from_json(data["diff"])


def _version_number(store: Store, consultation_uuid: str) -> int:
    info = version_info(store, consultation_uuid)
    return 1 if info is None else info[0]


def _remove(store: Store, consultation_uuid: str) -> None:
    with store.transaction() as tx:
        tx.execute("DELETE FROM consultations WHERE uuid = ?", (consultation_uuid,))
        repo_versions.forget(tx, consultation_uuid)


def _resolve(store: Store, text: str) -> str:
    rows = repo_c.list_all(store)
    matches = [r.uuid for r in rows if r.uuid == text] or [r.uuid for r in rows if r.uuid.startswith(text)]
    if len(matches) != 1:
        raise InvalidInput(
            f"« {text} » ne désigne pas une consultation (voir maitre-ao consultations list).",
            field="CONSULTATION",
        )
    return matches[0]


# --- import -----------------------------------------------------------------------------------------
def import_checked(
    store: Store, paths: Sequence[Path], *, new_version: bool | str = False, **options: Any
) -> CheckedImport:
    """Import a DCE unless the same one is already there; or import it as a new version.

    `new_version`: False (a duplicate is not created), True (new version of the consultation with the
    same content, or else the same reference), or the id (or its start) of the consultation it replaces.
    `options` go to `consultations.import_dce`.
    """
    previous = _resolve(store, new_version) if isinstance(new_version, str) and new_version else None
    result = consultations.import_dce(store, paths, **options)
    uuid = result.consultation_uuid
    mine = repo_versions.piece_fingerprint(store, uuid)
    if mine is not None:
        with store.transaction() as tx:
            repo_versions.save_fingerprint(tx, uuid, mine)
    same = same_dce(store, uuid)
    if not new_version:
        if same:
            _remove(store, uuid)
            log.info("import: same DCE already there, nothing created")
            return CheckedImport("duplicate", same[0].uuid, version=_version_number(store, same[0].uuid))
        return CheckedImport("imported", uuid, result, related=same_reference(store, uuid))
    if previous is None:
        candidates = same or same_reference(store, uuid)
        if not candidates:
            _remove(store, uuid)
            raise InvalidInput(
                "Aucune consultation dont ce DCE serait une nouvelle version (ni même contenu, ni même "
                "référence) : importez-le sans --nouvelle-version, ou donnez l'identifiant de la consultation.",
                field="--nouvelle-version",
            )
        previous = candidates[0].uuid
    number_, diff = link_as_version(store, uuid, previous)
    return CheckedImport("new_version", uuid, result, diff=diff, version=number_)


def link_as_version(store: Store, consultation_uuid: str, previous_uuid: str) -> tuple[int, VersionDiff]:
    """Record `consultation_uuid` as a new version (*modificatif*) of `previous_uuid`: the
    differences are computed and kept. Returns (version number, differences)."""
    if previous_uuid == consultation_uuid:
        raise InvalidInput("Une consultation ne peut pas être sa propre version.", field="--nouvelle-version")
    for uuid in (consultation_uuid, previous_uuid):
        if repo_c.get(store, uuid) is None:
            raise InvalidInput(f"Consultation introuvable : {uuid}.", field="CONSULTATION")
    diff = compare(store, previous_uuid, consultation_uuid)
    number_ = _version_number(store, previous_uuid) + 1
    with store.transaction() as tx:
        repo_versions.save_version(
            tx,
            consultation_uuid,
            {
                "previous": previous_uuid,
                "version": number_,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "diff": diff.to_json(),
            },
        )
    log.info(
        "import: new version %d, %d piece and %d field changes", number_, len(diff.pieces), len(diff.fields)
    )
    return number_, diff


def discard(store: Store, consultation_uuid: str) -> None:
    """Remove a consultation just imported (the user kept the one already there)."""
    if repo_c.get(store, consultation_uuid) is None:
        return
    _remove(store, consultation_uuid)
    log.info("import discarded at the user's request")


@dataclass(frozen=True, slots=True)
class VersionDetails:
    version: int
    previous_uuid: str
    created_at: str  # ISO UTC, "" when unknown
    diff: VersionDiff


def version_details(store: Store, consultation_uuid: str) -> VersionDetails | None:
    """Like `version_info`, with the date the new version was imported; None for a first version."""
    data = repo_versions.version(store, consultation_uuid)
    if data is None:
        return None
    diff = VersionDiff.from_json(data["diff"])
    return VersionDetails(
        int(data.get("version", 2)), diff.previous_uuid, str(data.get("created_at") or ""), diff
    )
