"""The buyer's own documents filled for the answer: price schedules (BPU/DPGF/DQE) with our prices and
totals checked, then the acte d'engagement with the amount of the schedule. Each filled file is a copy
written under the buyer's original file name; the originals are never changed."""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.analysis import Analysis
from app.domain.errors import UserError
from app.domain.kinds import PieceKind
from app.domain.profile import CompanyProfile
from app.export.ae_fill import AeReport, fill_ae, vat_number
from app.export.ae_pdf import fill_ae_pdf, has_form_fields
from app.export.cadre_fill import CadreAnswer, CadreReport, fill_cadre, write_annex
from app.export.cadre_xlsx import fill_cadre_xlsx
from app.export.schedule import TOLERANCE, Schedule, euros, norm, read_schedule
from app.export.schedule_fill import ScheduleReport, fill_schedule

log = logging.getLogger(__name__)

SCHEDULE_KINDS = (PieceKind.DQE, PieceKind.DPGF, PieceKind.BPU)  # the AE amount comes from the first
SPREADSHEETS = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class BuyerFile:
    name: str  # the buyer's file name (kept for the filled copy)
    kind: PieceKind
    data: bytes


@dataclass
class BuyerDocsResult:
    files: list[Path] = field(default_factory=list)
    schedules: list[ScheduleReport] = field(default_factory=list)
    ae: list[AeReport] = field(default_factory=list)
    cadres: list[CadreReport] = field(default_factory=list)
    amount: float | None = None  # € HT written in the AE
    amount_source: str = ""  # the schedule it comes from
    warnings: list[str] = field(default_factory=list)
    to_sign: list[str] = field(default_factory=list)  # file names needing the user's signature


def prices_by_designation(schedule: Schedule, known: Mapping[str, float]) -> dict[str, float]:
    """Line key → price for the lines whose designation (accents and case ignored) is in `known`."""
    table = {norm(k): v for k, v in known.items()}
    out: dict[str, float] = {}
    for ln in schedule.lines:
        for name in (f"{ln.designation} | {ln.price_label}", ln.designation):
            if norm(name) in table:
                out[ln.key] = table[norm(name)]
                break
    return out


def fill_buyer_documents(
    files: Sequence[BuyerFile],
    prices: Mapping[str, Mapping[str, float]],
    profile: CompanyProfile,
    analysis: Analysis,
    folder: Path,
    *,
    lot: int | None = None,
    cadre_answers: Mapping[str, Sequence[CadreAnswer]] | None = None,
    lots: Sequence[int] = (),
) -> BuyerDocsResult:
    """Fill every schedule, then every AE and cadre de réponse, into `folder`; `prices`: file name →
    line key → € HT; `cadre_answers`: file name → the mémoire's answers to its questions; `lots`: the
    lots answered (ticked in a PDF AE's form)."""
    result = BuyerDocsResult()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="maitre-ao-buyer-") as tmp:
        by_kind: dict[PieceKind, list[ScheduleReport]] = {}
        for f in files:
            if f.kind not in SCHEDULE_KINDS:
                continue
            if Path(f.name).suffix.lower() not in SPREADSHEETS:
                result.warnings.append(
                    f"{f.name} : bordereau au format {Path(f.name).suffix or 'inconnu'} : Maître AO remplit "
                    "les bordereaux Excel (.xlsx, .xlsm) ; à remplir à la main."
                )
                continue
            source = Path(tmp) / f"src-{len(result.files)}{Path(f.name).suffix.lower()}"
            source.write_bytes(f.data)
            try:
                schedule = read_schedule(source, f.name)
                if not schedule.lines:
                    result.warnings.append(
                        f"{f.name} : aucune ligne de prix reconnue (en-têtes Désignation / Quantité / Prix "
                        "introuvables) : le bordereau est joint tel quel, à remplir à la main."
                    )
                report = fill_schedule(source, folder / f.name, schedule, prices.get(f.name, {}))
            except UserError as exc:
                result.warnings.append(str(exc.message))
                continue
            result.files.append(folder / f.name)
            result.schedules.append(report)
            result.warnings += report.warnings
            by_kind.setdefault(f.kind, []).append(report)
        _choose_amount(result, by_kind, ae_basis(files))
        for f in files:
            if f.kind is not PieceKind.AE:
                continue
            suffix = Path(f.name).suffix.lower()
            if suffix == ".pdf" and has_form_fields(f.data):
                _fill_pdf_ae(f, Path(tmp), folder, profile, analysis, lots or ([lot] if lot else []), result)
                continue
            if suffix != ".docx":
                result.warnings.append(
                    f"{f.name} : acte d'engagement au format {suffix or 'inconnu'} sans champs remplissables : "
                    "recopiez les valeurs de « valeurs_acte_engagement.docx » puis signez-le."
                )
                result.files.append(write_values_sheet(profile, analysis, lot, result.amount, folder))
                result.to_sign.append(f.name)
                continue
            source = Path(tmp) / f"ae-{len(result.ae)}.docx"
            source.write_bytes(f.data)
            try:
                ae = fill_ae(
                    source, folder / f.name, profile, analysis, lot=lot, amount=result.amount, name=f.name
                )
            except UserError as exc:
                result.warnings.append(str(exc.message))
                continue
            result.ae.append(ae)
            result.files.append(folder / f.name)
            result.to_sign.append(f.name)
            result.warnings += ae.warnings
        for f in files:
            if f.kind is PieceKind.CADRE_REPONSE:
                _fill_one_cadre(f, (cadre_answers or {}).get(f.name, ()), Path(tmp), folder, result)
    log.info("buyer documents filled: %d files", len(result.files))
    return result


def _fill_pdf_ae(
    f: BuyerFile,
    tmp: Path,
    folder: Path,
    profile: CompanyProfile,
    analysis: Analysis,
    lots: Sequence[int],
    result: BuyerDocsResult,
) -> None:
    """An AE in PDF with form fields: its candidate's fields filled in a copy under its own name."""
    source = tmp / f"ae-{len(result.ae)}.pdf"
    source.write_bytes(f.data)
    try:
        ae = fill_ae_pdf(
            source, folder / f.name, profile, analysis, lots=lots, amount=result.amount, name=f.name
        )
    except UserError as exc:
        result.warnings.append(str(exc.message))
        result.files.append(
            write_values_sheet(profile, analysis, lots[0] if len(lots) == 1 else None, result.amount, folder)
        )
        result.to_sign.append(f.name)
        return
    result.ae.append(ae)
    result.files.append(folder / f.name)
    result.to_sign.append(f.name)
    result.warnings += ae.warnings


def _fill_one_cadre(
    f: BuyerFile, answers: Sequence[CadreAnswer], tmp: Path, folder: Path, result: BuyerDocsResult
) -> None:
    suffix = Path(f.name).suffix.lower()
    if suffix not in (".docx", *SPREADSHEETS):
        if answers:
            result.warnings.append(
                f"{f.name} : cadre de réponse au format {suffix or 'inconnu'} : Maître AO remplit les cadres "
                "Word (.docx) ; les réponses sont dans le mémoire, à reporter dans ce cadre."
            )
        return
    if not answers:
        result.warnings.append(
            f"{f.name} : aucune question de ce cadre n'est reliée au mémoire : joint tel quel, à remplir."
        )
        return
    source = tmp / f"cadre-{len(result.cadres)}{suffix}"
    source.write_bytes(f.data)
    try:
        if suffix == ".docx":
            report = fill_cadre(source, folder / f.name, answers, name=f.name)
        else:
            report = fill_cadre_xlsx(source, folder / f.name, answers, name=f.name)
    except UserError as exc:
        result.warnings.append(str(exc.message))
        return
    result.cadres.append(report)
    result.files.append(folder / f.name)
    result.warnings += report.warnings
    if report.unplaced:
        result.files.append(write_annex(report, folder / "annexe_reponses_non_placees.docx"))


def ae_basis(files: Sequence[BuyerFile]) -> PieceKind | None:
    """The schedule the AE's amount refers to, from its own words (DPGF or DQE named first)."""
    import io

    import docx

    for f in files:
        if f.kind is not PieceKind.AE or not f.name.lower().endswith(".docx"):
            continue
        try:
            text = norm("\n".join(p.text for p in docx.Document(io.BytesIO(f.data)).paragraphs))
        except Exception as exc:  # unreadable: fill_ae reports it to the user
            log.info("AE not readable for its amount basis: %s", type(exc).__name__)
            continue
        found = {
            PieceKind.DPGF: re.search(r"\bdpgf\b|prix global et forfaitaire", text),
            PieceKind.DQE: re.search(r"\bdqe\b|detail quantitatif", text),
        }
        hits = sorted((m.start(), k) for k, m in found.items() if m)
        if hits:
            return hits[0][1]
    return None


def _choose_amount(
    result: BuyerDocsResult,
    by_kind: Mapping[PieceKind, list[ScheduleReport]],
    basis: PieceKind | None = None,
) -> None:
    """The AE amount is our total of the schedule the AE names (else the DQE, else the DPGF); the other
    schedules must agree. A schedule whose totals are monthly or yearly gives no amount."""
    order = [basis] if basis else []
    order += [k for k in SCHEDULE_KINDS if k not in order]
    totals = [(k, r) for k in order for r in by_kind.get(k, []) if r.total is not None]
    if not totals:
        return
    kind, chosen = totals[0]
    if chosen.periodic and chosen.stated_total is not None:
        # The buyer's own total of the whole contract, which the candidate computed as the schedule's
        # labels say (years, reconductions, coefficients): the AE carries that figure, said where from.
        cell, label, value = chosen.stated_total
        result.amount = round(value, 2)
        result.amount_source = f"{chosen.file_name}, {cell} « {label[:60]} »"
        result.warnings.append(
            f"Montant de l'acte d'engagement repris de {chosen.file_name}, case {cell} « {label[:80]} » : "
            f"{euros(result.amount)} HT, tel que saisi ; vérifiez-le avec le calcul que demande le bordereau."
        )
        return
    stated = [(cell, label) for _, cell, label in chosen.left_empty if norm(label).startswith("total")]
    if chosen.periodic and stated:
        cell, label = stated[-1]
        result.warnings.append(
            f"Montant de l'acte d'engagement non repris : {chosen.file_name} demande au candidat son total "
            f"(case {cell} « {label[:80]} ») : saisissez-le dans l'onglet Prix, l'acte d'engagement le reprendra."
        )
        return
    if chosen.periodic:
        result.warnings.append(
            f"Montant de l'acte d'engagement non repris : les totaux de {chosen.file_name} sont mensuels ou "
            "annuels (durée, reconductions et coefficients propres au bordereau) : reportez le montant total "
            "vous-même."
        )
        return
    if chosen.missing:
        result.warnings.append(
            f"Montant de l'acte d'engagement non repris : {chosen.file_name} a encore "
            f"{len(chosen.missing)} ligne(s) sans prix."
        )
        return
    result.amount = round(chosen.total or 0.0, 2)
    result.amount_source = chosen.file_name
    for other_kind, other in totals[1:]:
        if other.missing or other.periodic or (other_kind is kind and other is chosen):
            continue
        if abs((other.total or 0.0) - result.amount) > TOLERANCE:
            result.warnings.append(
                f"Les totaux ne concordent pas : {chosen.file_name} {euros(result.amount)} HT, "
                f"{other.file_name} {euros(other.total)} HT (écart {euros(abs((other.total or 0) - result.amount))})."
            )
    for t in chosen.total_differences:
        result.warnings.append(
            f"Montant de l'acte d'engagement ({euros(result.amount)} HT, somme des lignes de "
            f"{chosen.file_name}) ≠ {t.label} calculé par les formules de l'acheteur ({euros(t.buyers)})."
        )


def write_values_sheet(
    profile: CompanyProfile, analysis: Analysis, lot: int | None, amount: float | None, folder: Path
) -> Path:
    """The values to copy by hand into an AE that cannot be filled (PDF without fields)."""
    from app.export.docx_util import add_table, open_template, save, use_a4

    doc = open_template(None)
    use_a4(doc)
    doc.add_paragraph("Valeurs à reporter dans l'acte d'engagement", style="Title")
    doc.add_paragraph(f"Consultation : {analysis.object or '—'}")
    a = profile.adresse
    rows = [
        ["Dénomination sociale", profile.raison_sociale],
        ["Nom commercial", profile.nom_commercial or "—"],
        ["Forme juridique", profile.forme_juridique or "—"],
        ["Adresse", a.one_line() or "—"],
        ["SIRET", profile.siret],
        ["Code APE", profile.code_naf or "—"],
        ["N° TVA intracommunautaire", vat_number(profile.siret)],
        ["Adresse électronique", profile.email or "—"],
        ["Téléphone", profile.telephone or "—"],
        [
            "Signataire",
            f"{profile.signataire.name}, {profile.signataire.role}" if profile.signataire else "à compléter",
        ],
        ["Lot", str(lot) if lot is not None else "à préciser"],
        ["Montant HT", euros(amount) if amount is not None else "à compléter"],
    ]
    if profile.banque:
        rows += [["IBAN", profile.banque.iban], ["BIC", profile.banque.bic or "—"]]
    add_table(doc, ["Rubrique", "Valeur"], rows, widths_cm=(6.0, 11.0))
    doc.add_paragraph("La signature reste à apposer par le représentant habilité.")
    path = folder / "valeurs_acte_engagement.docx"
    save(doc, path)
    return path


_SAFE = re.compile(r"[^\w .,()+-]", re.UNICODE)


def safe_name(name: str) -> str:
    """A buyer's file name usable on every OS (the path inside the DCE may hold folders)."""
    return _SAFE.sub("_", Path(name.replace("\\", "/")).name).strip() or "document"
