"""The lots the company answers in a consultation: chosen by the user, used by DC1 and the export."""

from __future__ import annotations

from app.domain.errors import InvalidInput, NotReady
from local_store import repo_lots
from local_store.store import Store


def choose_lots(store: Store, consultation_uuid: str, lots: list[int]) -> list[int]:
    """Keep the lots answered (an empty list clears the choice); they must be lots of the analysis."""
    from app.services import consultations

    analysis = consultations.get_analysis(store, consultation_uuid)
    known = {lot.number for lot in analysis.lots} if analysis else set()
    if lots and not known:
        raise NotReady("Cette consultation n'est pas allotie (ou pas encore analysée) : aucun lot à choisir.")
    unknown = sorted(set(lots) - known)
    if unknown:
        listed = ", ".join(str(n) for n in sorted(known))
        raise InvalidInput(
            f"lot(s) {', '.join(map(str, unknown))} inconnu(s) : lots de la consultation : {listed}.",
            field="LOT",
        )
    repo_lots.choose(store, consultation_uuid, lots)
    return sorted(set(lots))


def chosen_lots(store: Store, consultation_uuid: str) -> list[int]:
    return repo_lots.chosen(store, consultation_uuid)
