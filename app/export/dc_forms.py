"""DC1 (lettre de candidature) and DC2 (déclaration du candidat) generated on the official forms'
sections — DC1 A–G, DC2 A–I — filled from the company profile and the consultation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.domain.analysis import Analysis
from app.domain.numbers import euros, percent
from app.domain.profile import CompanyProfile, InsuranceKind
from app.domain.subcontracting import Subcontractor
from app.drafting.markers import marker
from app.drafting.offline import insurance_line
from app.drafting.tables import profile_table
from app.export.docx_util import add_field, add_table, add_text_with_markers, open_template, save, use_a4

CHECKED, UNCHECKED = "☒", "☐"


@dataclass
class FormInput:
    analysis: Analysis
    profile: CompanyProfile
    lot: int | None = None
    works: bool = False  # marché de travaux: décennale declaration (DC2 F3)
    all_lots: bool = False  # the candidate chose to answer every lot (never assumed)
    lots: tuple[int, ...] = ()  # the lots answered, as chosen for the consultation

    @property
    def answered_lots(self) -> tuple[int, ...]:
        return self.lots or ((self.lot,) if self.lot is not None else ())

    @property
    def every_lot(self) -> bool:
        numbers = {lot.number for lot in self.analysis.lots}
        return self.all_lots or (len(numbers) > 1 and set(self.answered_lots) == numbers)

    today: date = field(default_factory=date.today)


def _box(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


def _section(doc: DocumentObject, title: str) -> None:
    doc.add_heading(title, level=1)


def _line(doc: DocumentObject, label: str, value: str) -> None:
    para = doc.add_paragraph()
    para.add_run(f"{label} : ").bold = True
    add_text_with_markers(para, value or marker(label.lower()))


def _buyer_and_object(doc: DocumentObject, a: Analysis) -> None:
    _section(doc, "A - Identification de l’acheteur")
    add_text_with_markers(doc.add_paragraph(), a.buyer or marker("nom et adresse de l'acheteur"))
    _section(doc, "B - Objet de la consultation")
    add_text_with_markers(doc.add_paragraph(), a.object or marker("objet de la consultation"))
    if a.reference:
        _line(doc, "Référence de la consultation", a.reference)


def _identity(doc: DocumentObject, p: CompanyProfile) -> None:
    name = p.raison_sociale + (f" — nom commercial : {p.nom_commercial}" if p.nom_commercial else "")
    _line(doc, "Nom commercial et dénomination sociale", name)
    _line(doc, "Adresse postale et du siège social", p.adresse.one_line())
    _line(doc, "Adresse électronique", p.email)
    _line(doc, "Numéros de téléphone et de télécopie", p.telephone)
    _line(doc, "Numéro SIRET", p.siret)


# The address asked is that of a document vault (attestations, K-bis…), not the company's website.
PROOF_ONLINE = marker(
    "adresse internet et code d'accès des documents justificatifs s'ils sont en ligne, sinon : sans objet"
)
SEE_E3 = "Voir la rubrique E3."


def _footer(doc: DocumentObject, form: str, subtitle: str, p: CompanyProfile) -> None:
    """As on the official forms: the form's name and "Page X / Y" at the foot of each page."""
    footer = doc.sections[-1].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{form} – {subtitle.split(' — ')[0]} — {p.display_name} — Page ")
    add_field(footer, "PAGE")
    footer.add_run(" / ")
    add_field(footer, "NUMPAGES")


def _deadline_day(a: Analysis) -> date | None:
    try:
        return date.fromisoformat((a.deadline or "")[:10])
    except ValueError:
        return None


def _title(doc: DocumentObject, form: str, subtitle: str) -> None:
    head = doc.add_paragraph(style="Title")
    head.add_run(f"MARCHÉS PUBLICS — {form}")
    sub = doc.add_paragraph(subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _signature(doc: DocumentObject, p: CompanyProfile, today: date) -> None:
    doc.add_paragraph()
    ville = p.adresse.ville or marker("ville")
    add_text_with_markers(doc.add_paragraph(), f"Fait à {ville}, le {today:%d/%m/%Y}")
    if p.signataire:
        doc.add_paragraph(f"{p.signataire.name}, {p.signataire.role}")
    else:
        add_text_with_markers(doc.add_paragraph(), marker("nom et qualité du signataire"))


def write_dc1(data: FormInput, path: Path, template: Path | None = None) -> None:
    a, p = data.analysis, data.profile
    doc = open_template(template)
    if template is None:
        use_a4(doc)
    _title(doc, "DC1", "Lettre de candidature — Désignation du mandataire par ses co-traitants")
    _footer(doc, "DC1", "Lettre de candidature", p)
    _buyer_and_object(doc, a)
    _section(doc, "C - Objet de la candidature")
    doc.add_paragraph("La candidature est présentée :")
    doc.add_paragraph(f"{_box(not a.lots)} pour le marché public (en cas de non allotissement) ;")
    answered = data.answered_lots
    every = bool(a.lots) and data.every_lot
    doc.add_paragraph(f"{_box(every)} pour tous les lots de la procédure ;")
    if len(answered) > 1 and not every:
        numbers = ", ".join(str(n) for n in answered)
        doc.add_paragraph(f"{CHECKED} pour les lots n° {numbers} de la procédure.")
    else:
        lot_text = f"{answered[0]}" if len(answered) == 1 else "……"
        doc.add_paragraph(f"{_box(len(answered) == 1)} pour le lot n° {lot_text} de la procédure.")
    if a.lots and not answered and not data.all_lots:
        add_text_with_markers(doc.add_paragraph(), marker("lot(s) auquel(s) la candidature répond"))
    _section(doc, "D - Présentation du candidat")
    doc.add_paragraph(f"{CHECKED} Le candidat se présente seul :")
    _identity(doc, p)
    doc.add_paragraph(f"{UNCHECKED} Le candidat est un groupement d’entreprises.")
    _section(doc, "E - Identification des membres du groupement et répartition des prestations")
    doc.add_paragraph("Sans objet : le candidat se présente seul.")
    _section(doc, "F - Engagements du candidat individuel ou de chaque membre du groupement")
    doc.add_heading("F1 – Exclusions de la procédure", level=2)
    doc.add_paragraph(
        "Le candidat individuel déclare sur l’honneur ne pas entrer dans l’un des cas d’exclusion prévus aux "
        "articles L. 2141-1 à L. 2141-5 ou aux articles L. 2141-7 à L. 2141-10 du code de la commande publique."
    )
    add_text_with_markers(
        doc.add_paragraph(),
        f"{UNCHECKED} Case à cocher par le signataire : "
        + marker("déclaration sur l'honneur à cocher après vérification"),
    )
    doc.add_heading("F2 – Documents de preuve disponibles en ligne", level=2)
    _line(doc, "Adresse internet", PROOF_ONLINE)
    doc.add_heading("F3 – Capacités", level=2)
    doc.add_paragraph(f"{CHECKED} le formulaire DC2.")
    _section(doc, "G - Désignation du mandataire (en cas de groupement)")
    doc.add_paragraph("Sans objet : le candidat se présente seul.")
    _signature(doc, p, data.today)
    save(doc, path)


def write_dc2(data: FormInput, path: Path, template: Path | None = None) -> None:
    a, p = data.analysis, data.profile
    doc = open_template(template)
    if template is None:
        use_a4(doc)
    _title(doc, "DC2", "Déclaration du candidat individuel ou du membre du groupement")
    _footer(doc, "DC2", "Déclaration du candidat", p)
    _buyer_and_object(doc, a)
    if data.lot is not None:
        _line(doc, "Lot", str(data.lot))
    _section(doc, "C - Identification du candidat individuel ou du membre du groupement")
    doc.add_heading("C1 - Cas général", level=2)
    _identity(doc, p)
    _line(doc, "Forme juridique", p.forme_juridique)
    if p.pme is None:
        add_text_with_markers(
            doc.add_paragraph(), "Micro, petite ou moyenne entreprise : " + marker("statut PME")
        )
    else:
        doc.add_paragraph(
            "Le candidat est-il une micro, une petite ou une moyenne entreprise : "
            f"{_box(p.pme)} Oui   {_box(not p.pme)} Non"
        )
    doc.add_heading("C2 - Cas particuliers en cas de marché public réservé", level=2)
    doc.add_paragraph("Sans objet.")
    _section(doc, "D - Cas spécifiques relatifs aux conditions de participation")
    if p.certifications:
        doc.add_paragraph("Certifications et qualifications détenues :")
        header, rows = profile_table("certifications", p)
        add_table(doc, header, rows)
    else:
        doc.add_paragraph("Sans objet.")
    _section(
        doc,
        "E - Renseignements relatifs à l’aptitude à exercer l’activité professionnelle concernée par le contrat",
    )
    _line(
        doc,
        "E1 - Inscription sur un registre professionnel",
        f"Registre du commerce et des sociétés, SIRET {p.siret}"
        + (f", code NAF {p.code_naf}" if p.code_naf else ""),
    )
    _line(doc, "E2 - Autorisation spécifique", "Sans objet")
    _line(doc, "E3 - Adresse internet des documents justificatifs", PROOF_ONLINE)
    _section(doc, "F - Renseignements relatifs à la capacité économique et financière")
    doc.add_heading("F1 - Chiffres d’affaires hors taxes des trois derniers exercices disponibles", level=2)
    turnovers = p.last_turnovers(3)
    if turnovers:
        rows = [["Chiffre d’affaires global HT"], ["Part du chiffre d’affaires concernant l’objet du marché"]]
        header = [""]
        for t in turnovers:
            header.append(f"Exercice {t.annee}")
            rows[0].append(euros(t.montant_ht, 0))
            if t.part_objet_marche_ht is not None and t.montant_ht:
                share = 100 * t.part_objet_marche_ht / t.montant_ht
                rows[1].append(f"{euros(t.part_objet_marche_ht, 0)} ({percent(share, 0)})")
            else:
                rows[1].append("—")
        add_table(doc, header, rows)
        if len(turnovers) < 3:
            add_text_with_markers(
                doc.add_paragraph(),
                marker("date de création et moyens de preuve pour les exercices manquants"),
            )
    else:
        add_text_with_markers(doc.add_paragraph(), marker("chiffres d'affaires des trois derniers exercices"))
    doc.add_heading("F2 – Autres informations requises par l’acheteur", level=2)
    doc.add_paragraph("Sans objet.")
    doc.add_heading("F3 – Pour les marchés publics de travaux", level=2)
    has_dec = any(i.kind is InsuranceKind.DECENNALE for i in p.assurances)
    if data.works:
        doc.add_paragraph(
            f"{_box(has_dec)} Le candidat déclare qu’il aura souscrit un contrat d’assurance le couvrant "
            "au regard de la responsabilité décennale."
        )
    else:
        doc.add_paragraph("Sans objet : marché de services ou de fournitures.")
    due = _deadline_day(a)
    if data.works:
        _line(doc, "Assurance décennale", insurance_line(p, InsuranceKind.DECENNALE, due))
    _line(
        doc, "Assurance responsabilité civile professionnelle", insurance_line(p, InsuranceKind.RC_PRO, due)
    )
    doc.add_heading("F4 – Documents de preuve disponibles en ligne", level=2)
    _line(doc, "Adresse internet", SEE_E3)
    _section(doc, "G - Renseignements relatifs à la capacité technique et professionnelle")
    doc.add_heading("G1 - Capacités techniques et professionnelles", level=2)
    effectif = f"{p.effectif} salariés" if p.effectif is not None else marker("effectif moyen annuel")
    _line(doc, "Effectif moyen annuel", effectif)
    for name, label in (
        ("moyens_humains", "Moyens humains"),
        ("moyens_materiels", "Moyens matériels"),
        ("references", "Références de prestations similaires"),
    ):
        header, rows = profile_table(name, p)
        title = doc.add_paragraph()
        title.paragraph_format.space_before = Pt(10)
        title.paragraph_format.keep_with_next = True
        title.add_run(label).bold = True
        if rows:
            add_table(doc, header, rows)
        else:
            add_text_with_markers(doc.add_paragraph(), marker(label.lower()))
    doc.add_heading("G2 - Documents de preuve disponibles en ligne", level=2)
    _line(doc, "Adresse internet", SEE_E3)
    _section(doc, "H - Capacités des opérateurs économiques sur lesquels le candidat s’appuie")
    doc.add_paragraph(
        "Sans objet : le candidat ne s’appuie pas sur les capacités d’autres opérateurs économiques."
    )
    _section(doc, "I - Renseignements spécifiques aux marchés publics de défense ou de sécurité")
    doc.add_paragraph("Sans objet.")
    _signature(doc, p, data.today)
    save(doc, path)


def write_dc4(data: FormInput, sub: Subcontractor, path: Path, template: Path | None = None) -> None:
    """DC4 (déclaration de sous-traitance, 2023) for one sub-contractor, annexed to the offer: sections
    A to N of the official form; the sworn statements and signatures are left to the signatories."""
    a, p = data.analysis, data.profile
    doc = open_template(template)
    if template is None:
        use_a4(doc)
    _title(doc, "DC4", "Déclaration de sous-traitance")
    _footer(doc, "DC4", "Déclaration de sous-traitance", p)
    _section(doc, "A - Identification de l’acheteur")
    add_text_with_markers(doc.add_paragraph(), a.buyer or marker("nom et adresse de l'acheteur"))
    _line(
        doc,
        "Personne habilitée à donner les renseignements prévus à l’article R. 2191-59",
        marker("personne habilitée désignée par l'acheteur"),
    )
    _section(doc, "B - Objet du marché public")
    add_text_with_markers(doc.add_paragraph(), a.object or marker("objet du marché public"))
    if a.reference:
        _line(doc, "Référence de la consultation", a.reference)
    if data.lot is not None:
        _line(doc, "Lot", str(data.lot))
    _section(doc, "C - Objet de la déclaration du sous-traitant")
    doc.add_paragraph("La présente déclaration de sous-traitance constitue :")
    doc.add_paragraph(f"{CHECKED} un document annexé à l’offre du soumissionnaire ;")
    doc.add_paragraph(
        f"{UNCHECKED} un acte spécial portant acceptation du sous-traitant et agrément de ses conditions de "
        "paiement (sous-traitant présenté après le dépôt de l’offre) ;"
    )
    doc.add_paragraph(f"{UNCHECKED} un acte spécial modificatif.")
    _section(doc, "D - Identification du soumissionnaire ou du titulaire du marché public")
    _identity(doc, p)
    _line(doc, "Forme juridique", p.forme_juridique)
    _section(doc, "E - Identification du sous-traitant")
    _line(doc, "Nom commercial et dénomination sociale", sub.raison_sociale)
    _line(doc, "Adresse postale et du siège social", sub.adresse)
    _line(doc, "Adresse électronique", sub.email)
    _line(doc, "Numéros de téléphone et de télécopie", sub.telephone)
    _line(doc, "Numéro SIRET", sub.siret)
    _line(doc, "Forme juridique", sub.forme_juridique)
    _line(doc, "Personne(s) ayant le pouvoir d’engager le sous-traitant", sub.representant)
    if sub.pme is None:
        add_text_with_markers(
            doc.add_paragraph(), "Micro, petite ou moyenne entreprise : " + marker("statut PME")
        )
    else:
        doc.add_paragraph(
            "Le sous-traitant est-il une micro, une petite ou une moyenne entreprise : "
            f"{_box(sub.pme)} Oui   {_box(not sub.pme)} Non"
        )
    _section(doc, "F - Nature des prestations sous-traitées")
    _line(doc, "Nature des prestations sous-traitées", sub.prestations)
    _section(doc, "G - Prix des prestations sous-traitées")
    if sub.montant_ht is None:
        _line(doc, "Montant HT", "")
    else:
        rate = f"{sub.taux_tva * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        _line(doc, "Taux de la TVA", f"{rate} %")
        _line(doc, "Montant HT", euros(sub.montant_ht, 2, unit_space="\u00a0"))
        _line(doc, "Montant TTC", euros(sub.montant_ht * (1 + sub.taux_tva), 2, unit_space="\u00a0"))
    _line(
        doc,
        "Modalités de variation des prix",
        marker("modalités de variation des prix du contrat de sous-traitance"),
    )
    doc.add_paragraph(
        "Le titulaire déclare que son sous-traitant remplit les conditions pour avoir droit au paiement direct : "
        f"{_box(sub.paiement_direct)} Oui   {_box(not sub.paiement_direct)} Non"
    )
    _section(doc, "H - Conditions de paiement")
    _line(doc, "Compte à créditer", marker("RIB du sous-traitant à joindre"))
    doc.add_paragraph(
        f"Le sous-traitant demande à bénéficier d’une avance : {UNCHECKED} Oui   {UNCHECKED} Non"
    )
    _section(doc, "I – Durée du contrat de sous-traitance en nombre de mois")
    _line(doc, "Durée en mois", str(sub.duree_mois) if sub.duree_mois else "")
    _section(doc, "J - Capacités du sous-traitant")
    doc.add_paragraph(
        "Renseignements et documents demandés par l’acheteur : voir les pièces jointes du sous-traitant."
    )
    _section(doc, "K - Attestations sur l’honneur du sous-traitant au regard des exclusions de la procédure")
    doc.add_paragraph(
        f"{UNCHECKED} Le sous-traitant déclare sur l’honneur ne pas entrer dans l’un des cas d’exclusion prévus "
        "aux articles L. 2141-1 à L. 2141-5 ou L. 2141-7 à L. 2141-10 du code de la commande publique "
        "(case à cocher par le sous-traitant)."
    )
    _section(doc, "L - Cession ou nantissement des créances résultant du marché public")
    doc.add_paragraph("Sans objet pour un document annexé à l’offre.")
    _section(doc, "M - Acceptation et agrément des conditions de paiement du sous-traitant")
    doc.add_paragraph("Le sous-traitant : (signature du représentant habilité du sous-traitant)")
    doc.add_paragraph("Le soumissionnaire : (signature du représentant habilité du soumissionnaire)")
    doc.add_paragraph(
        "Le représentant de l’acheteur, compétent pour signer le marché public : (réservé à l’acheteur)"
    )
    _section(doc, "N - Notification de l’acte spécial au titulaire")
    doc.add_paragraph("Réservé à l’acheteur.")
    save(doc, path)
