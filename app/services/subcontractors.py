"""Sub-contractors declared for a consultation (CLI and app): one DC4 each at export."""

from __future__ import annotations

from pydantic import ValidationError

from app.domain.errors import InvalidInput, NotFound
from app.domain.subcontracting import Subcontractor
from local_store import repo_subcontractors
from local_store.store import Store


def declare(store: Store, consultation_uuid: str, fields: dict[str, object]) -> Subcontractor:
    """Validate and keep a sub-contractor (French message on bad input)."""
    from app.services import consultations

    consultations.get_consultation(store, consultation_uuid)
    try:
        sub = Subcontractor.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "sous-traitant"
        raise InvalidInput(f"sous-traitant invalide ({where}) : {first['msg']}", field=where) from exc
    return repo_subcontractors.add(store, consultation_uuid, sub)


def list_for(store: Store, consultation_uuid: str) -> list[Subcontractor]:
    return repo_subcontractors.list_for(store, consultation_uuid)


def remove(store: Store, consultation_uuid: str, sub_uuid: str) -> None:
    if not repo_subcontractors.remove(store, consultation_uuid, sub_uuid):
        raise NotFound("Sous-traitant introuvable pour cette consultation.")
