"""The profile's tables (references, moyens, turnover, certifications) as header + rows of text."""

from __future__ import annotations

from app.domain.numbers import euros
from app.domain.profile import CompanyProfile
from app.drafting.markers import marker


def _eur(value: float | None) -> str:
    if value is None:
        return marker("montant")
    return euros(value, 0)


def profile_table(
    name: str, profile: CompanyProfile, order: list[int] | None = None
) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of one of app.drafting.body.TABLES."""
    if name == "references":
        indexes = order or []
        indexes = indexes + [i for i in range(len(profile.references)) if i not in indexes]
        refs = [profile.references[i] for i in indexes]
        return (
            ["Client", "Objet", "Année", "Montant HT", "Contact"],
            [[r.client, r.object, str(r.year), _eur(r.amount), r.contact or "—"] for r in refs],
        )
    if name == "moyens_humains":
        return (
            ["Fonction", "Nom", "Nombre", "Qualification", "Expérience"],
            [
                [
                    m.role,
                    m.name or "—",
                    str(m.count),
                    m.qualification or "—",
                    f"{m.years_experience} ans" if m.years_experience is not None else "—",
                ]
                for m in profile.moyens_humains
            ],
        )
    if name == "moyens_materiels":
        return (
            ["Désignation", "Quantité", "Description"],
            [[e.designation, str(e.quantity), e.description or "—"] for e in profile.moyens_materiels],
        )
    if name == "chiffre_affaires":
        return (
            ["Exercice", "Chiffre d'affaires HT", "Part relative à l'objet du marché"],
            [
                [
                    str(t.annee),
                    _eur(t.montant_ht),
                    _eur(t.part_objet_marche_ht) if t.part_objet_marche_ht is not None else "—",
                ]
                for t in profile.last_turnovers(3)
            ],
        )
    if name == "certifications":
        return (
            ["Certification / qualification", "Organisme", "Numéro", "Valide jusqu'au"],
            [
                [c.name, c.body or "—", c.number or "—", f"{c.valid_to:%d/%m/%Y}" if c.valid_to else "—"]
                for c in profile.certifications
            ],
        )
    raise ValueError(f"unknown table {name}")


def table_as_text(name: str, profile: CompanyProfile, order: list[int] | None = None) -> str:
    """The same table as lines of text (coverage, previews, plain-text exports)."""
    header, rows = profile_table(name, profile, order)
    return "\n".join(" ; ".join(f"{h} : {v}" for h, v in zip(header, row, strict=True)) for row in rows)


def expand_tables(body: str, profile: CompanyProfile) -> str:
    from app.drafting.body import TABLE_RE

    lines = []
    for line in body.splitlines():
        m = TABLE_RE.match(line.strip())
        lines.append(table_as_text(m.group(1), profile) if m else line)
    return "\n".join(lines)
