"""Fill the candidate's part of the buyer's acte d'engagement (DOCX), in a copy.

The AE is read paragraph by paragraph (tables included, in document order). A *fill zone* is a run of
dots, ellipses or underscores after a label ("SIRET : ............"), or a paragraph of dots under a
label that ends with a colon ("Adresse de l'établissement :" then "......" lines). Only fill zones
whose label we know are replaced, with the profile's value, keeping the run's formatting; everything
else of the buyer's text stays as it is. Filling stops at the signature, acceptance and annex parts:
the buyer's part and signature zones are never touched (signing is the user's act).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.analysis import Analysis
from app.domain.errors import InvalidInput
from app.domain.profile import CompanyProfile
from app.export.ooxml import check_package
from app.export.schedule import euros, norm

ZONE = re.compile(r"[.…_]{3,}(?:[ \t.…_]*[.…_])?")
_STOP = re.compile(
    r"^(?:[a-z0-9]{1,3}\s*[-–.)]\s*)?(signature du candidat|signature\b|acceptation de l.offre|annexe|"
    r"nantissement|cession|declaration de sous-traitance|co-?traitants?|mise au point|"
    r"cadre reserve a l.acheteur|partie reservee)"
)


@dataclass
class AeReport:
    file_name: str
    filled: list[str] = field(default_factory=list)  # labels filled
    left: list[str] = field(default_factory=list)  # labels of the candidate's part left to fill by hand
    warnings: list[str] = field(default_factory=list)
    amount: float | None = None  # the amount HT written


def vat_number(siret: str) -> str:
    """The French intra-EU VAT number derived from the SIREN (first 9 digits of the SIRET)."""
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


def _paragraphs(doc: object) -> Iterator[object]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = doc.element.body  # type: ignore[attr-defined]
    for p in body.iter(qn("w:p")):
        yield Paragraph(p, doc)  # type: ignore[arg-type]


def replace_span(paragraph: object, start: int, end: int, value: str) -> None:
    """Replace characters [start, end) of the paragraph's text by `value`, in the run where the span
    starts (its formatting kept); the span's characters in later runs are removed."""
    pos = 0
    placed = False
    for run in paragraph.runs:  # type: ignore[attr-defined]
        text = run.text
        r_start, r_end = pos, pos + len(text)
        pos = r_end
        if r_end <= start or r_start >= end:
            continue
        a, b = max(start, r_start) - r_start, min(end, r_end) - r_start
        run.text = text[:a] + ("" if placed else value) + text[b:]
        placed = True


Vocabulary = list[tuple[re.Pattern[str], Callable[[str], str | None]]]


def candidate_fields(
    profile: CompanyProfile,
    analysis: Analysis,
    lot: int | None,
    amount: float | None,
    vat_rate: float | None,
    *,
    lots: Sequence[int] = (),
) -> Vocabulary:
    """The AE's label → candidate value vocabulary (DOCX and PDF forms alike): (label pattern, value
    for the text after the zone) — first match wins, most specific first. `lots`: every lot answered
    (written "1, 3" where the AE asks for the lot) when there is more than one."""
    p = profile
    a = p.adresse
    bank = p.banque
    lot_title = next((x.title for x in analysis.lots if x.number == lot), "") if lot is not None else ""
    lot_text = str(lot) if lot is not None else (", ".join(str(n) for n in lots) if lots else None)

    def money(value: float | None, suffix: str) -> Callable[[str], str | None]:
        def render(after: str) -> str | None:
            if value is None:
                return None
            text = euros(value)
            return text.replace("\u00a0€", "") if "€" in after[:6] else f"{text}{suffix}"

        return render

    def const(value: str | None) -> Callable[[str], str | None]:
        return lambda _after: value or None

    ttc = amount * (1 + vat_rate) if amount is not None and vat_rate is not None else None
    vat = amount * vat_rate if amount is not None and vat_rate is not None else None
    signer = f"{p.signataire.name}, {p.signataire.role}" if p.signataire else None
    return [
        (re.compile(r"(nom|prenom).*qualite.*signataire|signataire"), const(signer)),
        (re.compile(r"titulaire du compte"), const(bank.titulaire or p.raison_sociale if bank else None)),
        (re.compile(r"\biban\b"), const(bank.iban if bank else None)),
        (re.compile(r"\bbic\b"), const(bank.bic if bank else None)),
        (re.compile(r"tva intracom|numero de tva"), const(vat_number(p.siret))),
        (re.compile(r"nom commercial|denomination|raison sociale"), const(_name(p))),
        (re.compile(r"forme juridique"), const(p.forme_juridique)),
        (re.compile(r"adresse (electronique|mail|e-mail)|courriel|e-mail"), const(p.email)),
        (re.compile(r"adresse du siege"), const(None)),
        (re.compile(r"^adresse|adresse de l.etablissement"), const(a.one_line())),
        (re.compile(r"telephone"), const(p.telephone)),
        (re.compile(r"\bsiret\b"), const(p.siret)),
        (re.compile(r"\b(code )?(ape|naf)\b"), const(p.code_naf)),
        (re.compile(r"en lettres"), const(None)),
        (re.compile(r"\bpse\b|option|variante"), const(None)),
        (re.compile(r"\bttc\b"), money(ttc, "\u00a0TTC")),
        (re.compile(r"\btva\b"), money(vat, "")),
        (re.compile(r"montant.*(hors tax|\bht\b)|montant de l.offre"), money(amount, "\u00a0HT")),
        (re.compile(r"intitule"), const(lot_title)),
        (re.compile(r"^lot\b|^numero (du |des )?lots?\b"), const(lot_text)),
    ]


def _name(p: CompanyProfile) -> str:
    if p.nom_commercial and p.nom_commercial != p.raison_sociale:
        return f"{p.nom_commercial} – {p.raison_sociale}"
    return p.raison_sociale


def _vat_rate(texts: list[str]) -> float | None:
    for t in texts:
        m = re.search(r"tva[^%]{0,40}?(\d{1,2}(?:[,.]\d+)?)\s*%", norm(t))
        if m:
            return float(m.group(1).replace(",", ".")) / 100
    return None


def fill_ae(
    source: Path,
    target: Path,
    profile: CompanyProfile,
    analysis: Analysis,
    *,
    lot: int | None = None,
    amount: float | None = None,
    name: str | None = None,
) -> AeReport:
    """Write the candidate's part of the AE at `source` into a copy at `target`."""
    import docx

    check_package(source, "acte d'engagement")
    try:
        doc = docx.Document(str(source))
    except Exception as exc:
        raise InvalidInput(
            f"{source.name} : document Word illisible ({type(exc).__name__}).", field="acte d'engagement"
        ) from exc
    report = AeReport(name or source.name, amount=amount)
    paragraphs = list(_paragraphs(doc))
    rate = _vat_rate([p.text for p in paragraphs])  # type: ignore[attr-defined]
    fields = candidate_fields(profile, analysis, lot, amount, rate)
    pending: tuple[str, list[str]] | None = None  # label ending with ":" and the lines still to write
    for index, par in enumerate(paragraphs):
        text: str = par.text  # type: ignore[attr-defined]
        style = par.style.name if par.style is not None else ""  # type: ignore[attr-defined]
        if style.lower().startswith("toc"):
            continue  # the table of contents names the later parts: not where they start
        label_text = norm(text)
        if label_text and len(label_text) < 90 and _STOP.match(label_text):
            break
        zones = list(ZONE.finditer(text))
        if pending is not None and zones and not ZONE.sub("", text).strip(" \t:"):
            label, lines = pending
            if lines:
                z = zones[0]
                slots = _dotted_lines_from(paragraphs, index)
                value = lines.pop(0) if slots > 1 or len(lines) == 1 else ", ".join(lines)
                if slots <= 1:
                    lines.clear()
                replace_span(par, z.start(), z.end(), value)
                if label not in report.filled:
                    report.filled.append(label)
            continue  # a dotted line under a label: filled or left as is
        pending = None
        if text.rstrip().endswith(":") and not zones:
            label = text.rstrip()[:-1].strip()
            found = _value(fields, norm(label), "")
            if found is not None:
                lines = [found]
                if re.search(r"adresse", norm(label)) and profile.adresse.ligne1:
                    a = profile.adresse
                    lines = [x for x in (a.ligne1, a.ligne2, f"{a.code_postal} {a.ville}".strip()) if x]
                pending = (label, lines)
            elif ":" in text:
                pending = (label, [])
            continue
        # "Label : ...... Other label : ......" — each zone takes the label just before it.
        for z in reversed(zones):  # right to left: earlier offsets stay valid
            before = text[: z.start()].rstrip(" \t")
            label = re.split(r"[.…_]{3,}|\t", before)[-1].strip().rstrip(":").strip()
            if not label:
                continue
            filled = _value(fields, norm(label), text[z.end() :])
            if filled is None:
                report.left.append(label)
                continue
            replace_span(par, z.start(), z.end(), filled)
            report.filled.append(label)
    report.filled.reverse()
    if amount is not None and not any(re.search(r"montant|\bht\b", norm(label)) for label in report.filled):
        report.warnings.append(
            f"{report.file_name} : aucune ligne « Montant HT » à compléter n'a été trouvée : reportez "
            f"{euros(amount)} HT à la main à l'endroit prévu par l'acheteur."
        )
        report.amount = None
    if amount is None:
        report.warnings.append(
            f"{report.file_name} : montant non repris d'un bordereau (voir les alertes des bordereaux) : "
            "à écrire à la main."
        )
    if profile.banque is None:
        report.warnings.append(
            f"{report.file_name} : coordonnées bancaires absentes du profil : IBAN et BIC à compléter."
        )
    report.warnings.append(
        f"{report.file_name} : à signer par {profile.signataire.name if profile.signataire else 'le représentant habilité'} "
        "(la signature n'est jamais apposée par Maître AO)."
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return report


def _dotted_lines_from(paragraphs: list[object], index: int) -> int:
    """How many paragraphs made only of dots follow from `index` (included)."""
    count = 0
    for par in paragraphs[index:]:
        text: str = par.text  # type: ignore[attr-defined]
        if not ZONE.search(text) or ZONE.sub("", text).strip(" \t:"):
            break
        count += 1
    return count


def _value(fields: Vocabulary, label: str, after: str) -> str | None:
    found = field_value(fields, label, after)
    return found[1] if found is not None else None


def field_value(fields: Vocabulary, label: str, after: str = "") -> tuple[str, str | None] | None:
    """(pattern, value) of the first vocabulary entry whose pattern the normalised `label` matches
    (value None: a candidate's field the profile cannot fill); None: a label we do not know."""
    for pattern, render in fields:
        if pattern.search(label):
            return pattern.pattern, render(after)
    return None
