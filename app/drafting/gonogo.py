"""Go / no-go: can this company answer this consultation? Each check says ok, à vérifier or bloquant,
with the page it was read on; one overall verdict with its reasons."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from app.domain.analysis import Analysis, SiteVisit
from app.domain.document import PieceText
from app.domain.french import PARIS, short_datetime
from app.domain.kinds import REQUIRED_DOCUMENT_LABELS, PieceKind, RequiredDocument
from app.domain.numbers import euros
from app.domain.profile import AdminDocKind, CompanyProfile, InsuranceKind
from app.drafting.expiry import expiring_documents
from app.drafting.text import fold, key_terms, stems_of


class CheckStatus(StrEnum):
    OK = "ok"
    A_VERIFIER = "à vérifier"
    BLOQUANT = "bloquant"


class Verdict(StrEnum):
    GO = "GO"
    GO_SOUS_RESERVE = "GO sous réserve"
    NO_GO = "NO GO"


@dataclass
class Check:
    label: str
    status: CheckStatus
    detail: str
    file: str | None = None
    page: int | None = None

    @property
    def source(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}, p. {self.page}" if self.page else self.file


@dataclass
class GoNoGo:
    checks: list[Check]
    verdict: Verdict
    reasons: list[str] = field(default_factory=list)
    days_left: int | None = None


# Pieces where the buyer states the conditions of participation.
_RULE_KINDS = (PieceKind.RC, PieceKind.CCAP, PieceKind.CCP, PieceKind.AE)

_CERT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b(qualibat|qualifelec|opqibi|opqtecc|opqcm|qualipaysage|qualitravaux)\s*(?:n°\s*)?(\d{3,4})"
    ),
    re.compile(r"\biso\s*/?\s*(?:cei\s*)?(\d{4,5})"),
    re.compile(r"\b(mase|rge|hds|qualiopi|cefri|certibiocide|ecocert)\b"),
    re.compile(r"\b(qualibat|qualifelec|opqibi)\b(?!\s*(?:n°\s*)?\d)"),  # "Qualibat ou équivalent"
    re.compile(r"\b(?:sous[- ]section|ss)\s*([34])\b"),
)
_AMOUNT = r"(\d{1,3}(?:[ \u00a0\u202f.]?\d{3})*(?:,\d+)?)\s*(k€|m€|millions?\s+d'euros|€|euros)"
_MIN_TURNOVER = re.compile(
    r"chiffre d'affaires[^.;]{0,80}?(?:minimum|minimal|au moins|superieur ou egal a|superieur a|d'au moins)"
    r"[^.;\d]{0,40}" + _AMOUNT
)
_MIN_STAFF = re.compile(
    r"effectifs?[^.;]{0,60}?(?:minimum|minimal|au moins|superieur ou egal a|superieur a|d'au moins)"
    r"[^.;\d]{0,30}(\d{1,4})\s*(?:personnes|salaries|agents|etp|collaborateurs)?"
)
_CPV = re.compile(r"\b(\d{8})(?:-\d)?\b")
_WORKS = ("travaux", "gros oeuvre", "maconnerie", "charpente", "couverture", "batiment", "genie civil")


def _amount(value: str, unit: str) -> float:
    number = float(re.sub(r"[ \u00a0\u202f.]", "", value).replace(",", "."))
    unit = unit.lower()
    if unit == "k€":
        return number * 1_000
    if unit.startswith("m"):
        return number * 1_000_000
    return number


def _deadline(analysis: Analysis) -> datetime | None:
    if not analysis.deadline:
        return None
    try:
        value = datetime.fromisoformat(analysis.deadline)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def _rule_pages(pieces: list[PieceText]) -> list[tuple[PieceText, int, str]]:
    """(piece, page number, folded text) of the RC, CCAP, CCP and AE pages."""
    out = []
    for piece in pieces:
        if piece.kind in _RULE_KINDS:
            for page in piece.pages:
                out.append((piece, page.number, fold(page.text)))
    return out


def _evidence(analysis: Analysis, name: str) -> tuple[str | None, int | None]:
    ev = analysis.evidence.get(name)
    return (ev.file, ev.page) if ev else (None, None)


def _fmt_eur(value: float) -> str:
    return euros(value, 0)


def evaluate(
    analysis: Analysis,
    pieces: list[PieceText],
    profile: CompanyProfile,
    now: datetime | None = None,
) -> GoNoGo:
    now = now or datetime.now(PARIS)
    deadline = _deadline(analysis)
    pages = _rule_pages(pieces)
    checks: list[Check] = []
    days_left = _check_deadline(analysis, deadline, now, checks)
    _check_site_visit(analysis, now, checks)
    _check_certifications(pages, profile, deadline, now, checks)
    _check_turnover(pages, profile, checks)
    _check_staff(pages, profile, checks)
    _check_references(analysis, pieces, profile, checks)
    _check_insurance(analysis, pieces, profile, deadline, now, checks)
    _check_documents(analysis, profile, deadline, now, checks)
    _check_expiring(analysis, profile, deadline, now, checks)
    _check_doubtful_fields(analysis, checks)
    blocking = [c for c in checks if c.status is CheckStatus.BLOQUANT]
    doubtful = [c for c in checks if c.status is CheckStatus.A_VERIFIER]
    if blocking:
        verdict = Verdict.NO_GO
    elif doubtful:
        verdict = Verdict.GO_SOUS_RESERVE
    else:
        verdict = Verdict.GO
    # One reason for all the documents to renew (their dates are in their rows), not one each.
    renew = [c.label.removeprefix(VALIDITY) for c in doubtful if c.label.startswith(VALIDITY)]
    reasons = [f"{c.label} : {c.detail}" for c in (*blocking, *doubtful) if not c.label.startswith(VALIDITY)]
    if renew:
        reasons.append("Documents à renouveler : " + ", ".join(renew))
    if not reasons:
        reasons = ["Toutes les vérifications sont satisfaites par le profil de l'entreprise."]
    return GoNoGo(checks=checks, verdict=verdict, reasons=reasons, days_left=days_left)


# Fields of the analysis the verdict rests on, and their French names.
_DECISIVE_FIELDS = {
    "deadline": "date limite",
    "site_visit": "visite",
    "criteria": "critères de jugement",
    "lots": "lots",
    "required_documents": "pièces à remettre",
    "memoire_page_limit": "limite de pages",
}


def _check_doubtful_fields(analysis: Analysis, checks: list[Check]) -> None:
    """The verdict says when it rests on values the analysis found but could not be sure of."""
    doubtful = [label for name, label in _DECISIVE_FIELDS.items() if analysis.doubtful(name)]
    if doubtful:
        checks.append(
            Check(
                "Analyse du DCE",
                CheckStatus.A_VERIFIER,
                "valeurs à vérifier dans le DCE avant de décider : " + ", ".join(doubtful) + ".",
            )
        )


def _check_deadline(
    analysis: Analysis, deadline: datetime | None, now: datetime, checks: list[Check]
) -> int | None:
    file, page = _evidence(analysis, "deadline")
    if deadline is None:
        checks.append(
            Check("Date limite", CheckStatus.A_VERIFIER, "date limite de remise non trouvée", file, page)
        )
        return None
    days = (deadline.date() - now.astimezone(deadline.tzinfo).date()).days
    when = short_datetime(deadline)
    if deadline <= now:
        checks.append(
            Check("Date limite", CheckStatus.BLOQUANT, f"date limite dépassée ({when})", file, page)
        )
    elif days < 5:
        checks.append(
            Check(
                "Date limite",
                CheckStatus.A_VERIFIER,
                f"{days} jour(s) restant(s), remise le {when}",
                file,
                page,
            )
        )
    else:
        checks.append(
            Check("Date limite", CheckStatus.OK, f"{days} jours restants, remise le {when}", file, page)
        )
    return days


def _check_site_visit(analysis: Analysis, now: datetime, checks: list[Check]) -> None:
    file, page = _evidence(analysis, "site_visit")
    label = "Visite de site"
    if analysis.site_visit is not SiteVisit.MANDATORY:
        detail = (
            "visite facultative" if analysis.site_visit is SiteVisit.OPTIONAL else "pas de visite obligatoire"
        )
        checks.append(Check(label, CheckStatus.OK, detail, file, page))
        return
    when: datetime | None = None
    if analysis.site_visit_date:
        try:
            when = datetime.fromisoformat(analysis.site_visit_date)
            when = when if when.tzinfo else when.replace(tzinfo=PARIS)
        except ValueError:
            when = None
    if when is None:
        checks.append(
            Check(
                label,
                CheckStatus.A_VERIFIER,
                "visite obligatoire : date à convenir avec l'acheteur",
                file,
                page,
            )
        )
    elif when < now:
        checks.append(
            Check(
                label,
                CheckStatus.BLOQUANT,
                f"visite obligatoire du {when:%d/%m/%Y} passée : sans attestation de visite, l'offre est irrégulière",
                file,
                page,
            )
        )
    else:
        checks.append(
            Check(
                label,
                CheckStatus.A_VERIFIER,
                f"visite obligatoire le {when:%d/%m/%Y à %Hh%M} à prévoir",
                file,
                page,
            )
        )


def _cert_key(match: re.Match[str]) -> str:
    groups = [g for g in match.groups() if g]
    return " ".join(groups)


def _check_certifications(
    pages: list[tuple[PieceText, int, str]],
    profile: CompanyProfile,
    deadline: datetime | None,
    now: datetime,
    checks: list[Check],
) -> None:
    asked: dict[str, tuple[PieceText, int, bool]] = {}
    for piece, number, text in pages:
        for pattern in _CERT_PATTERNS:
            for m in pattern.finditer(text):
                key = _cert_key(m)
                if key in asked:
                    continue
                start = max(text.rfind(".", 0, m.start()), text.rfind("\n\n", 0, m.start())) + 1
                end = text.find(".", m.end())
                around = text[start : end if end != -1 else len(text)]  # "ou équivalent" of this sentence
                asked[key] = (piece, number, "equivalen" in around)
    on = (deadline or now).date()
    for key, (piece, number, equivalent) in asked.items():
        label = f"Certification {key.upper() if len(key) <= 4 else key.title()}"
        page = number if piece.paged else None
        held = [c for c in profile.certifications if _cert_matches(key, c.name)]
        valid = [c for c in held if c.valid_to is None or c.valid_to >= on]
        if valid:
            until = max((c.valid_to for c in valid if c.valid_to), default=None)
            detail = f"détenue ({valid[0].name})" + (f", valide jusqu'au {until:%d/%m/%Y}" if until else "")
            checks.append(Check(label, CheckStatus.OK, detail, piece.path, page))
        elif held:
            expired = max(c.valid_to for c in held if c.valid_to)
            status = CheckStatus.A_VERIFIER if equivalent else CheckStatus.BLOQUANT
            detail = f"expire le {expired:%d/%m/%Y}, avant la date limite : renouvellement à justifier"
            checks.append(Check(label, status, detail, piece.path, page))
        else:
            status = CheckStatus.A_VERIFIER if equivalent else CheckStatus.BLOQUANT
            detail = "demandée, absente du profil" + (
                " (« ou équivalent » : une preuve équivalente est acceptée)" if equivalent else ""
            )
            checks.append(Check(label, status, detail, piece.path, page))


def _cert_matches(key: str, name: str) -> bool:
    parts = key.split()
    folded = fold(name)
    if parts[0] in ("3", "4"):
        return f"sous-section {parts[0]}" in folded or f"ss{parts[0]}" in folded.replace(" ", "")
    return all(re.search(rf"\b{re.escape(p)}\b", folded) for p in parts) or (
        parts[0].isdigit() and re.search(rf"\biso\s*{parts[0]}\b", folded) is not None
    )


def _check_turnover(
    pages: list[tuple[PieceText, int, str]], profile: CompanyProfile, checks: list[Check]
) -> None:
    for piece, number, text in pages:
        m = _MIN_TURNOVER.search(text)
        if not m:
            continue
        minimum = _amount(m.group(1), m.group(2))
        page = number if piece.paged else None
        turnovers = profile.last_turnovers(3)
        if not turnovers:
            checks.append(
                Check(
                    "Chiffre d'affaires minimum",
                    CheckStatus.A_VERIFIER,
                    f"minimum {_fmt_eur(minimum)} ; chiffre d'affaires absent du profil",
                    piece.path,
                    page,
                )
            )
            return
        mean = sum(t.montant_ht for t in turnovers) / len(turnovers)
        last = turnovers[0]
        if last.montant_ht >= minimum and mean >= minimum:
            status, how = CheckStatus.OK, "atteint"
        elif last.montant_ht >= minimum or mean >= minimum:
            status, how = CheckStatus.A_VERIFIER, "atteint selon l'exercice retenu"
        else:
            status, how = CheckStatus.BLOQUANT, "non atteint"
        detail = (
            f"minimum {_fmt_eur(minimum)} {how} (dernier exercice {last.annee} : {_fmt_eur(last.montant_ht)}, "
            f"moyenne : {_fmt_eur(mean)})"
        )
        checks.append(Check("Chiffre d'affaires minimum", status, detail, piece.path, page))
        return


def _check_staff(
    pages: list[tuple[PieceText, int, str]], profile: CompanyProfile, checks: list[Check]
) -> None:
    for piece, number, text in pages:
        m = _MIN_STAFF.search(text)
        if not m:
            continue
        minimum = int(m.group(1))
        page = number if piece.paged else None
        if profile.effectif is None:
            status, detail = CheckStatus.A_VERIFIER, f"minimum {minimum} ; effectif absent du profil"
        elif profile.effectif >= minimum:
            status, detail = CheckStatus.OK, f"minimum {minimum}, effectif {profile.effectif}"
        else:
            status, detail = CheckStatus.BLOQUANT, f"minimum {minimum}, effectif {profile.effectif}"
        checks.append(Check("Effectif minimum", status, detail, piece.path, page))
        return


def similar_references(analysis: Analysis, pieces: list[PieceText], profile: CompanyProfile) -> list[int]:
    """Indexes of the profile's references close to the consultation (object words, CPV codes)."""
    object_terms = set(key_terms(analysis.object or "", 12))
    cpvs = {
        m.group(1)[:3]
        for p in pieces
        if p.kind in _RULE_KINDS
        for pg in p.pages
        for m in _CPV.finditer(pg.text)
    }
    out = []
    for i, ref in enumerate(profile.references):
        ref_stems = stems_of(f"{ref.object} {ref.description}")
        by_words = len(object_terms & ref_stems) >= max(1, min(2, len(object_terms) // 3))
        by_cpv = bool(cpvs) and any(c[:3] in cpvs for c in ref.cpv)
        if by_words or by_cpv:
            out.append(i)
    return out


def _check_references(
    analysis: Analysis, pieces: list[PieceText], profile: CompanyProfile, checks: list[Check]
) -> None:
    file, page = _evidence(analysis, "object")
    similar = similar_references(analysis, pieces, profile)
    label = "Références similaires"
    if not profile.references:
        checks.append(Check(label, CheckStatus.A_VERIFIER, "aucune référence dans le profil", file, page))
    elif len(similar) >= 2:
        names = ", ".join(profile.references[i].client for i in similar[:3])
        checks.append(
            Check(
                label,
                CheckStatus.OK,
                f"{len(similar)} référence(s) proche(s) de l'objet ({names})",
                file,
                page,
            )
        )
    else:
        detail = (
            f"{len(similar)} référence proche de l'objet : à renforcer"
            if similar
            else "aucune référence proche de l'objet du marché"
        )
        checks.append(Check(label, CheckStatus.A_VERIFIER, detail, file, page))


def is_works(analysis: Analysis, pieces: list[PieceText]) -> bool:
    """Marché de travaux: CPV 45…, or the object speaks of works."""
    text = fold(analysis.object or "")
    if any(w in text for w in _WORKS):
        return True
    return any(
        m.group(1).startswith("45")
        for p in pieces
        if p.kind in _RULE_KINDS
        for pg in p.pages[:3]
        for m in _CPV.finditer(pg.text)
    )


def _check_insurance(
    analysis: Analysis,
    pieces: list[PieceText],
    profile: CompanyProfile,
    deadline: datetime | None,
    now: datetime,
    checks: list[Check],
) -> None:
    on = (deadline or now).date()
    file, page = _evidence(analysis, "object")
    kinds = [(InsuranceKind.RC_PRO, "Assurance responsabilité civile professionnelle")]
    works = is_works(analysis, pieces)
    if works:
        kinds.append((InsuranceKind.DECENNALE, "Assurance décennale"))
    for kind, label in kinds:
        policies = [a for a in profile.assurances if a.kind is kind]
        valid = [a for a in policies if a.valid_until is None or a.valid_until >= on]
        if valid:
            a = valid[0]
            until = f", valide jusqu'au {a.valid_until:%d/%m/%Y}" if a.valid_until else ""
            checks.append(Check(label, CheckStatus.OK, f"{a.assureur}{until}", file, page))
        elif policies:
            checks.append(
                Check(
                    label,
                    CheckStatus.A_VERIFIER,
                    f"{policies[0].assureur} : attestation valable jusqu'au "
                    f"{max(a.valid_until for a in policies if a.valid_until):%d/%m/%Y}, "
                    "expirée à la date limite : à renouveler",
                    file,
                    page,
                )
            )
        else:
            status = CheckStatus.BLOQUANT if kind is InsuranceKind.DECENNALE else CheckStatus.A_VERIFIER
            detail = "absente du profil" + (" (obligatoire pour un marché de travaux)" if works else "")
            checks.append(Check(label, status, detail, file, page))


# What in the profile proves each required document (None: generated by Maître AO or priced by the company).
_ADMIN_FOR: dict[RequiredDocument, tuple[AdminDocKind, ...]] = {
    RequiredDocument.KBIS: (AdminDocKind.KBIS,),
    RequiredDocument.ATTESTATIONS_FISCALES_SOCIALES: (AdminDocKind.URSSAF, AdminDocKind.FISCALE),
    RequiredDocument.RIB: (AdminDocKind.RIB,),
}


_CANNOT_OBTAIN: dict[RequiredDocument, Callable[[CompanyProfile], bool]] = {
    RequiredDocument.REFERENCES: lambda p: bool(p.references),
    RequiredDocument.CERTIFICATIONS: lambda p: bool(p.certifications),
}
_PROFILE_HAS: dict[RequiredDocument, Callable[[CompanyProfile], bool]] = {
    RequiredDocument.CHIFFRE_AFFAIRES: lambda p: bool(p.chiffre_affaires),
    RequiredDocument.EFFECTIFS: lambda p: p.effectif is not None or bool(p.moyens_humains),
    RequiredDocument.MOYENS_MATERIELS: lambda p: bool(p.moyens_materiels),
    RequiredDocument.ATTESTATION_ASSURANCE: lambda p: bool(p.assurances),
}


def _check_documents(
    analysis: Analysis, profile: CompanyProfile, deadline: datetime | None, now: datetime, checks: list[Check]
) -> None:
    file, page = _evidence(analysis, "required_documents")
    missing: list[str] = []
    blocking: list[str] = []
    for doc in analysis.required_documents:
        label = REQUIRED_DOCUMENT_LABELS[doc]
        if doc in _ADMIN_FOR:
            for kind in _ADMIN_FOR[doc]:
                held = [d for d in profile.documents_administratifs if d.kind is kind]
                if not held:
                    missing.append(label)
        elif doc in _CANNOT_OBTAIN and not _CANNOT_OBTAIN[doc](profile):
            blocking.append(label)  # no reference or certification cannot be fixed before the deadline
        elif doc in _PROFILE_HAS and not _PROFILE_HAS[doc](profile):
            missing.append(label)
    label = "Pièces à fournir"
    if blocking:
        checks.append(
            Check(label, CheckStatus.BLOQUANT, "impossible à produire : " + ", ".join(blocking), file, page)
        )
    if missing:
        detail = "absentes du profil : " + ", ".join(missing)
        checks.append(Check(label, CheckStatus.A_VERIFIER, detail, file, page))
    if not (blocking or missing):
        detail = (
            "toutes les pièces demandées sont disponibles"
            if analysis.required_documents
            else "liste non trouvée"
        )
        status = CheckStatus.OK if analysis.required_documents else CheckStatus.A_VERIFIER
        checks.append(Check(label, status, detail, file, page))


VALIDITY = "Validité : "


def _check_expiring(
    analysis: Analysis, profile: CompanyProfile, deadline: datetime | None, now: datetime, checks: list[Check]
) -> None:
    """One row per document expired at the deadline or expiring soon: the export's warnings, same list.
    No DCE page as source: the date comes from the company's profile."""
    for doc in expiring_documents(profile, (deadline or now).date(), now.date()):
        checks.append(Check(f"{VALIDITY}{doc.label}", CheckStatus.A_VERIFIER, doc.detail, None, None))
