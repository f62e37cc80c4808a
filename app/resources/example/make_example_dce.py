"""Build app/resources/example/dce.zip: the fictional DCE shipped with Maître AO (demo and tests).

Run: `.venv/bin/python -m app.resources.example.make_example_dce` (writes dce.zip next to this file).
The output is deterministic (fixed dates in every PDF, DOCX, XLSX and ZIP entry), so the committed
dce.zip only changes when this script does. The RC's entry name is written in CP437 without the
UTF-8 flag, as old Windows tools do; the plans sit in a nested ZIP.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
from docx.shared import Pt
from fpdf import FPDF
from fpdf.fonts import FontFace

HERE = Path(__file__).resolve().parent
OUT = HERE / "dce.zip"
FIXED = datetime(2027, 5, 3, 9, 0, 0, tzinfo=UTC)
ZIP_TIME = (2027, 5, 3, 9, 0, 0)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

BUYER = "Communauté de communes du Val de Brenne"
REF = "2026-TRV-014"
OBJECT = "Travaux de réhabilitation et d'extension du gymnase intercommunal de Saint-Aubin-sur-Brenne"
LOTS = (
    (1, "Gros œuvre – Maçonnerie – Démolition"),
    (2, "Charpente – Couverture – Bardage"),
    (3, "Électricité – Chauffage – Ventilation"),
)


# --- PDF ----------------------------------------------------------------------------------------
class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.doc_title = title
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists()
        if self.unicode:
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.fam = "DejaVu"
        else:  # core fonts: latin-1 only
            self.fam = "Helvetica"
        self.set_creation_date(FIXED)
        self.set_creator("Maître AO - DCE d'exemple")
        self.set_auto_page_break(True, margin=20)
        self.set_margins(20, 20, 20)

    def latin(self, text: str) -> str:
        if self.unicode:
            return text
        table = {"œ": "oe", "Œ": "OE", "–": "-", "’": "'", "€": "EUR", "…": "...", "≥": ">="}
        for a, b in table.items():
            text = text.replace(a, b)
        return text.encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if not self.doc_title:
            return
        self.set_font(self.fam, "", 8)
        self.cell(0, 5, self.latin(f"{BUYER} – {REF} – {self.doc_title}"), align="R")
        self.ln(8)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.fam, "", 8)
        self.cell(0, 10, self.latin(f"Page {self.page_no()}/{{nb}}"), align="C")

    def title_block(self, lines: list[str]) -> None:
        self.add_page()
        self.ln(30)
        self.set_font(self.fam, "B", 16)
        for line in lines:
            self.multi_cell(0, 9, self.latin(line), align="C")
            self.ln(2)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self.fam, "B", 12)
        self.multi_cell(0, 7, self.latin(text))
        self.ln(1)

    def para(self, text: str) -> None:
        self.set_font(self.fam, "", 10)
        self.multi_cell(0, 5.5, self.latin(text))
        self.ln(1.5)

    def table_rows(self, rows: Sequence[tuple[str, ...]], widths: tuple[int, ...]) -> None:
        self.set_font(self.fam, "", 10)
        with self.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"), line_height=6) as table:
            for row in rows:
                r = table.row()
                for cell in row:
                    r.cell(self.latin(cell))
        self.ln(3)

    def to_bytes(self) -> bytes:
        self.alias_nb_pages()
        return bytes(self.output())


def make_rc() -> bytes:
    pdf = _Pdf("Règlement de la consultation")
    pdf.title_block(
        [
            BUYER,
            "RÈGLEMENT DE LA CONSULTATION (RC)",
            OBJECT,
            f"Consultation n° {REF}",
            "Procédure adaptée ouverte – articles L. 2123-1 et R. 2123-1 1° du Code de la commande publique",
        ]
    )
    pdf.ln(10)
    pdf.para(
        "Date et heure limites de réception des offres : vendredi 16 juillet 2027 à 12h00\n"
        "Les offres sont déposées exclusivement sur le profil d'acheteur www.marches-valdebrenne.example."
    )
    pdf.add_page()
    pdf.heading("Article 1 – Identification de l'acheteur")
    pdf.para(
        f"{BUYER}, 4 place de la Mairie, 71990 Saint-Aubin-sur-Brenne. "
        "Représentant du pouvoir adjudicateur : Monsieur le Président. "
        "Service en charge de la consultation : service Commande publique, tél. 03 85 00 00 00."
    )
    pdf.heading("Article 2 – Objet de la consultation")
    pdf.para(
        f"La présente consultation a pour objet : {OBJECT}. Les travaux comprennent la démolition "
        "des vestiaires existants, la construction d'une extension de 180 m², la réfection complète "
        "de la couverture et la mise aux normes des installations électriques et de chauffage. "
        "Lieu d'exécution : rue du Stade, 71990 Saint-Aubin-sur-Brenne."
    )
    pdf.heading("Article 3 – Procédure de passation")
    pdf.para(
        "La consultation est passée selon une procédure adaptée ouverte en application des articles "
        "L. 2123-1 et R. 2123-1 1° du Code de la commande publique. L'acheteur se réserve la "
        "possibilité de négocier avec les trois candidats ayant remis les offres les mieux classées ; "
        "il peut également attribuer le marché sur la base des offres initiales sans négociation."
    )
    pdf.heading("Article 4 – Décomposition en lots")
    pdf.para("Les travaux sont répartis en 3 lots, traités par marchés séparés :")
    pdf.table_rows([("Lot", "Intitulé")] + [(f"Lot n° {n}", title) for n, title in LOTS], (30, 140))
    pdf.para(
        "Les candidats peuvent présenter une offre pour un, plusieurs ou l'ensemble des lots. "
        "Chaque lot fait l'objet d'un marché distinct."
    )
    pdf.heading("Article 5 – Variantes et prestations supplémentaires éventuelles")
    pdf.para(
        "Variantes : les variantes à l'initiative des candidats ne sont pas autorisées. "
        "Les candidats doivent répondre strictement à la solution de base."
    )
    pdf.para(
        "Prestation supplémentaire éventuelle (PSE) : pour le lot n° 2, les candidats doivent "
        "obligatoirement chiffrer la PSE n° 1 « Pose d'une isolation renforcée en sous-face de "
        "couverture ». L'acheteur décidera de retenir ou non la PSE au moment de l'attribution."
    )
    pdf.heading("Article 6 – Délai de validité des offres")
    pdf.para(
        "Le délai de validité des offres est fixé à 4 mois à compter de la date limite de "
        "réception des offres."
    )
    pdf.heading("Article 7 – Visite du site")
    pdf.para(
        "Une visite du site est obligatoire. Elle aura lieu le mardi 29 juin 2027 à 10h00 "
        "(rendez-vous devant l'entrée du gymnase, rue du Stade). Une attestation de visite sera "
        "remise à chaque candidat et devra être jointe à l'offre. Toute offre remise sans attestation "
        "de visite sera déclarée irrégulière."
    )
    pdf.heading("Article 8 – Contenu du dossier de réponse")
    pdf.para("8.1 Pièces de la candidature. Chaque candidat produit :")
    pdf.para(
        "- la lettre de candidature (formulaire DC1) et la déclaration du candidat (formulaire DC2), "
        "ou le document unique de marché européen (DUME) ;\n"
        "- les attestations d'assurance responsabilité civile et décennale en cours de validité ;\n"
        "- le chiffre d'affaires global des trois derniers exercices disponibles ;\n"
        "- une liste de références de travaux similaires de moins de cinq ans ;\n"
        "- les certificats de qualification professionnelle (Qualibat ou équivalent) ;\n"
        "- l'extrait K-bis de moins de trois mois."
    )
    pdf.para("8.2 Pièces de l'offre. Pour chaque lot, le candidat remet :")
    pdf.para(
        "- l'acte d'engagement (AE) complété et signé ;\n"
        "- la décomposition du prix global et forfaitaire (DPGF) ;\n"
        "- un mémoire technique rédigé selon le cadre de réponse technique joint au dossier ;\n"
        "- l'attestation de visite ;\n"
        "- un planning prévisionnel d'exécution des travaux."
    )
    pdf.para(
        "Le mémoire technique ne devra pas dépasser 15 pages au format A4 (hors annexes, "
        "police de taille 10 minimum). Les pages au-delà de la quinzième ne seront pas lues."
    )
    pdf.heading("Article 9 – Jugement des offres")
    pdf.para("L'offre économiquement la plus avantageuse est choisie selon les critères pondérés suivants :")
    pdf.table_rows(
        [
            ("Critère", "Pondération"),
            ("1. Valeur technique", "60 %"),
            ("1.1 Méthodologie et organisation du chantier", "25 %"),
            ("1.2 Moyens humains et matériels affectés à l'opération", "20 %"),
            ("1.3 Démarche environnementale et gestion des déchets", "15 %"),
            ("2. Prix des prestations", "40 %"),
        ],
        (130, 40),
    )
    pdf.para(
        "La valeur technique est appréciée au vu du mémoire technique. Le prix est noté selon la "
        "formule : note = 40 × (offre la plus basse / offre examinée)."
    )
    pdf.heading("Article 10 – Questions et renseignements complémentaires")
    pdf.para(
        "Les candidats peuvent poser leurs questions sur le profil d'acheteur au plus tard le "
        "vendredi 9 juillet 2027 à 12h00. Les réponses sont publiées à tous les candidats au plus "
        "tard six jours avant la date limite de réception des offres."
    )
    pdf.heading("Article 11 – Délai d'exécution")
    pdf.para(
        "Le délai global d'exécution est de 8 mois à compter de l'ordre de service de démarrage, "
        "période de préparation d'un mois comprise. Démarrage prévisionnel : octobre 2027."
    )
    return pdf.to_bytes()


def make_ccap() -> bytes:
    pdf = _Pdf("CCAP")
    pdf.title_block(
        [BUYER, "CAHIER DES CLAUSES ADMINISTRATIVES PARTICULIÈRES (CCAP)", OBJECT, f"Marché n° {REF}"]
    )
    pdf.add_page()
    articles = [
        (
            "Article 1 – Objet du marché",
            f"Le présent CCAP fixe les clauses administratives du marché : {OBJECT}. Il est commun aux 3 lots.",
        ),
        (
            "Article 2 – Pièces constitutives du marché",
            "Par ordre de priorité : l'acte d'engagement, le présent CCAP, le CCTP, la DPGF, le CCAG "
            "Travaux approuvé par l'arrêté du 30 mars 2021, le mémoire technique du titulaire.",
        ),
        (
            "Article 3 – Prix",
            "Les prix sont globaux et forfaitaires. Ils sont révisables mensuellement selon l'index "
            "BT01 ; le mois zéro est celui de la date limite de remise des offres.",
        ),
        (
            "Article 4 – Avance",
            "Une avance de 5 % du montant initial du marché est accordée au titulaire, sauf "
            "renonciation expresse dans l'acte d'engagement.",
        ),
        (
            "Article 5 – Retenue de garantie",
            "Une retenue de garantie de 5 % est prélevée sur chaque acompte. Elle peut être remplacée "
            "par une garantie à première demande.",
        ),
        (
            "Article 6 – Délai de paiement",
            "Les sommes dues sont payées dans un délai global de 30 jours à compter de la réception de "
            "la demande de paiement.",
        ),
        (
            "Article 7 – Pénalités",
            "En cas de retard dans l'exécution, le titulaire encourt une pénalité journalière de "
            "1/3000e du montant du marché, sans mise en demeure préalable. L'absence à une réunion de "
            "chantier est sanctionnée d'une pénalité de 150 € par absence.",
        ),
        (
            "Article 8 – Assurances",
            "Le titulaire justifie, avant tout commencement d'exécution, d'une assurance de "
            "responsabilité civile et d'une assurance de responsabilité décennale.",
        ),
        (
            "Article 9 – Sous-traitance",
            "Le titulaire peut sous-traiter l'exécution de certaines parties du marché sous réserve de "
            "l'acceptation du sous-traitant et de l'agrément de ses conditions de paiement (DC4).",
        ),
        (
            "Article 10 – Réception",
            "La réception a lieu dans les conditions de l'article 41 du CCAG Travaux. Le délai de "
            "garantie de parfait achèvement est d'un an à compter de la réception.",
        ),
    ]
    for title, text in articles:
        pdf.heading(title)
        pdf.para(text)
    return pdf.to_bytes()


def make_cctp() -> bytes:
    pdf = _Pdf("CCTP")
    pdf.title_block(
        [BUYER, "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES (CCTP)", OBJECT, "Lots 1 à 3 – Indice A"]
    )
    sections = {
        "Lot n° 1 – Gros œuvre – Maçonnerie – Démolition": [
            "Le titulaire devra réaliser le curage et la démolition des vestiaires existants, y compris "
            "l'évacuation des gravats vers une filière agréée. Les bordereaux de suivi des déchets sont "
            "obligatoires et seront remis au maître d'œuvre.",
            "Les fondations de l'extension seront de type semelles filantes en béton armé C25/30. Le "
            "titulaire devra fournir les notes de calcul visées par un bureau de contrôle.",
            "Les maçonneries seront réalisées en blocs béton de 20 cm. Un enduit monocouche gratté de "
            "teinte claire est obligatoire sur toutes les façades de l'extension.",
        ],
        "Lot n° 2 – Charpente – Couverture – Bardage": [
            "Le titulaire devra déposer la couverture existante en bac acier et mettre en œuvre une "
            "couverture neuve en panneaux sandwich de 100 mm, classement au feu obligatoire A2-s1,d0.",
            "La charpente de l'extension sera en bois lamellé-collé. Les bois seront certifiés PEFC ou "
            "FSC ; le certificat est obligatoire à la livraison.",
            "PSE n° 1 : pose d'une isolation renforcée en sous-face de couverture (laine minérale de "
            "200 mm, R ≥ 5).",
        ],
        "Lot n° 3 – Électricité – Chauffage – Ventilation": [
            "Le titulaire devra remplacer l'ensemble de l'éclairage de la salle de sport par des "
            "luminaires LED anti-chocs avec gradation. Le niveau d'éclairement moyen de 500 lux est "
            "obligatoire sur l'aire de jeu.",
            "La production de chaleur sera assurée par une pompe à chaleur air/eau. Le titulaire devra "
            "assurer la mise en service et former le personnel d'exploitation.",
            "Une ventilation double flux avec récupération de chaleur est obligatoire pour les "
            "vestiaires. Le titulaire devra fournir le dossier des ouvrages exécutés (DOE).",
        ],
    }
    common = (
        "Toutes les prestations sont conformes aux DTU et normes en vigueur. Le titulaire devra tenir "
        "le chantier propre et assurer le tri des déchets sur place. La présence du chef de chantier "
        "aux réunions hebdomadaires est obligatoire. Les horaires de travail sont de 7h30 à 18h00 ; "
        "le gymnase reste partiellement occupé pendant les travaux, le titulaire devra donc "
        "organiser ses interventions en accord avec le service des sports."
    )
    for title, paras in sections.items():
        pdf.add_page()
        pdf.heading(title)
        for i, text in enumerate(paras, start=1):
            pdf.heading(f"{i}. Prescriptions")
            pdf.para(text)
            pdf.para(common)
    return pdf.to_bytes()


def make_plan_pdf() -> bytes:
    pdf = _Pdf("")  # a drawing: almost no text, so the reader flags it for OCR
    pdf.add_page()
    pdf.set_line_width(0.6)
    pdf.rect(30, 50, 150, 100)
    pdf.rect(60, 80, 50, 40)
    pdf.line(30, 50, 180, 150)
    pdf.set_font(pdf.fam, "", 8)
    pdf.text(62, 78, pdf.latin("Gymnase"))
    return pdf.to_bytes()


# --- DOCX / XLSX --------------------------------------------------------------------------------
def _docx_bytes(document: docx.document.Document) -> bytes:
    props = document.core_properties
    props.author = BUYER
    props.created = props.modified = props.last_printed = FIXED.replace(tzinfo=None)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


def make_cadre() -> bytes:
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10)
    d.add_heading("CADRE DE RÉPONSE TECHNIQUE", 0)
    d.add_paragraph(f"{BUYER} – Consultation n° {REF}")
    d.add_paragraph(OBJECT)
    d.add_paragraph(
        "Le candidat répond à chaque question dans l'ordre ci-dessous. Le mémoire ne doit pas dépasser "
        "15 pages A4 hors annexes. Une réponse absente vaut note de zéro pour le sous-critère concerné."
    )
    questions = [
        (
            "1. Méthodologie et organisation du chantier (25 %)",
            [
                "1.1 Décrivez l'organisation du chantier en site occupé et les mesures de sécurité des usagers.",
                "1.2 Présentez le planning détaillé des travaux et les points d'arrêt.",
                "1.3 Décrivez les procédures de contrôle qualité (autocontrôles, fiches de suivi).",
            ],
        ),
        (
            "2. Moyens humains et matériels affectés à l'opération (20 %)",
            [
                "2.1 Présentez l'équipe affectée au chantier (CV du conducteur de travaux et du chef de chantier).",
                "2.2 Listez les moyens matériels mobilisés et leur provenance.",
            ],
        ),
        (
            "3. Démarche environnementale et gestion des déchets (15 %)",
            [
                "3.1 Décrivez le tri des déchets sur site et les filières de valorisation.",
                "3.2 Présentez les mesures de réduction des nuisances (bruit, poussière).",
            ],
        ),
    ]
    for heading, items in questions:
        d.add_heading(heading, 1)
        for item in items:
            d.add_paragraph(item)
            d.add_paragraph("Réponse du candidat :")
            for _ in range(3):  # the answer zone: empty lines left by the buyer
                d.add_paragraph("")
    d.add_page_break()
    d.add_heading("Annexe – Tableau de synthèse des moyens", 1)
    table = d.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Moyen", "Nombre", "Affectation"), strict=True):
        cell.text = text
    for row in (("Conducteur de travaux", "1", "50 %"), ("Compagnons", "4", "100 %")):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return _docx_bytes(d)


def make_ae() -> bytes:
    """An acte d'engagement laid out like the ones buyers publish: the buyer's part filled, the
    candidate's part as labels followed by dotted lines, the price, the signature and acceptance zones."""
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(10)
    section = d.sections[0]
    section.header.paragraphs[0].text = f"{BUYER} – Consultation n° {REF} – Acte d'engagement"
    d.add_heading("ACTE D'ENGAGEMENT (AE)", 0)
    d.add_heading("A – Identification de l'acheteur", 1)
    d.add_paragraph(f"Acheteur : {BUYER}")
    d.add_paragraph("Adresse : 2 place de la Mairie, 36300 Saint-Aubin-sur-Brenne")
    d.add_paragraph(f"Objet du marché : {OBJECT}")
    d.add_paragraph(
        f"Consultation n° {REF} – procédure adaptée (article R. 2123-1 du Code de la commande publique)"
    )
    d.add_heading("B – Identification du candidat", 1)
    d.add_paragraph(
        "Après avoir pris connaissance des pièces constitutives du marché, le signataire s'engage, sans "
        "réserve, à exécuter les prestations demandées aux prix indiqués ci-dessous."
    )
    d.add_paragraph("Nom, prénom et qualité du signataire : ..............................................")
    d.add_paragraph("Nom commercial et dénomination sociale du candidat :")
    d.add_paragraph(
        "..................................................................................................."
    )
    d.add_paragraph("Forme juridique : ..................................................")
    d.add_paragraph("Adresse de l'établissement :")
    d.add_paragraph(
        "..................................................................................................."
    )
    d.add_paragraph(
        "..................................................................................................."
    )
    d.add_paragraph("Adresse électronique : ..................................................")
    d.add_paragraph("Téléphone : ..........................")
    d.add_paragraph("SIRET : .......................................  Code APE : ................")
    d.add_paragraph("Numéro de TVA intracommunautaire : ..................................................")
    d.add_heading("C – Lot(s) et prix", 1)
    d.add_paragraph("Lot n° : ..... – intitulé : ...................................................")
    d.add_paragraph(
        "Le montant de l'offre, établi sur la base du détail quantitatif estimatif (DQE), est de :"
    )
    d.add_paragraph("Montant hors taxes (en chiffres) : .............................. € HT")
    d.add_paragraph("TVA au taux de 20 % : .............................. €")
    d.add_paragraph("Montant TTC (en chiffres) : .............................. € TTC")
    d.add_paragraph("PSE n° 1 (lot 2 uniquement) : ........... € HT.")
    d.add_heading("D – Paiement", 1)
    d.add_paragraph(
        "Le pouvoir adjudicateur se libérera des sommes dues en faisant porter le montant au crédit du compte :"
    )
    d.add_paragraph("Titulaire du compte : ..................................................")
    d.add_paragraph("IBAN : ..................................................")
    d.add_paragraph("BIC : ..........................")
    d.add_heading("E – Avance", 1)
    d.add_paragraph("Je renonce au bénéfice de l'avance : ☐ Non  ☐ Oui")
    d.add_heading("F – Signature du candidat", 1)
    d.add_paragraph("Fait à ..................., le ...................")
    d.add_paragraph("Signature du candidat (représentant habilité) :")
    d.add_paragraph("")
    d.add_heading("G – Acceptation de l'offre par l'acheteur", 1)
    d.add_paragraph("Est acceptée la présente offre pour valoir acte d'engagement.")
    d.add_paragraph("À Saint-Aubin-sur-Brenne, le ...................")
    d.add_paragraph("Le représentant du pouvoir adjudicateur :")
    return _docx_bytes(d)


def make_dpgf() -> bytes:
    wb = openpyxl.Workbook()
    wb.properties.creator = BUYER
    wb.properties.created = wb.properties.modified = FIXED.replace(tzinfo=None)
    items = {
        1: [
            ("1.1", "Installation de chantier", "ft", 1),
            ("1.2", "Démolition des vestiaires existants", "m²", 120),
            ("1.3", "Fondations en béton armé", "m³", 35),
            ("1.4", "Maçonnerie blocs béton 20 cm", "m²", 260),
        ],
        2: [
            ("2.1", "Dépose de la couverture existante", "m²", 900),
            ("2.2", "Couverture panneaux sandwich 100 mm", "m²", 900),
            ("2.3", "Charpente bois lamellé-collé (extension)", "ft", 1),
            ("PSE 1", "Isolation renforcée en sous-face", "m²", 900),
        ],
        3: [
            ("3.1", "Luminaires LED salle de sport", "u", 48),
            ("3.2", "Pompe à chaleur air/eau", "ens", 1),
            ("3.3", "Ventilation double flux vestiaires", "ens", 1),
        ],
    }
    first = True
    for number, title in LOTS:
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = f"Lot {number}"
        ws.append([f"DPGF – Lot n° {number} – {title}"])
        ws.append(["N°", "Désignation", "Unité", "Quantité", "Prix unitaire HT", "Montant HT"])
        for row, (code, label, unit, qty) in enumerate(items[number], start=3):
            ws.append([code, label, unit, qty, None, f"=D{row}*E{row}"])
        ws.append(["", "Total HT", "", "", "", f"=SUM(F3:F{2 + len(items[number])})"])
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


DQE_SECTIONS = (
    (
        "1 – Installation et préparation de chantier",
        [
            ("1.1", "Installation de chantier, clôtures et base vie", "ft", 1),
            ("1.2", "Constat d'huissier et état des lieux", "ft", 1),
            ("1.3", "Protection des ouvrages conservés", "m²", 180),
        ],
    ),
    (
        "2 – Démolition",
        [
            ("2.1", "Démolition des vestiaires existants", "m²", 120),
            ("2.2", "Évacuation des gravats en filière agréée", "t", 45.5),
        ],
    ),
    (
        "3 – Gros œuvre",
        [
            ("3.1", "Fondations en béton armé", "m³", 35),
            ("3.2", "Dallage béton 15 cm sur terre-plein", "m²", 210),
            ("3.3", "Maçonnerie blocs béton 20 cm", "m²", 260),
            ("3.4", "Linteaux et chaînages béton armé", "ml", 84),
        ],
    ),
)


def make_dqe() -> bytes:
    """A DQE laid out like the ones buyers publish: cover sheet, title block, blue input cells left
    unlocked on a protected sheet, sections with sub-totals, total HT, TVA and TTC formulas."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    wb.properties.creator = BUYER
    wb.properties.created = wb.properties.modified = FIXED.replace(tzinfo=None)
    cover = wb.active
    assert cover is not None
    cover.title = "PG"
    cover.merge_cells("A2:G2")
    cover["A2"] = BUYER.upper()
    cover.merge_cells("A5:G7")
    cover["A5"] = f"{OBJECT}\nConsultation n° {REF}"
    cover["A5"].alignment = Alignment(wrap_text=True, horizontal="center")
    cover.merge_cells("A10:G10")
    cover["A10"] = "Détail Quantitatif Estimatif (D.Q.E.) – Lot n° 1 – Gros œuvre – Maçonnerie – Démolition"

    ws = wb.create_sheet("DQE Lot 1")
    money = '#,##0.00\\ "€"'
    blue = PatternFill("solid", fgColor="DDEBF7")
    green = PatternFill("solid", fgColor="E2EFDA")
    ws.merge_cells("A1:F1")
    ws["A1"] = "DÉTAIL QUANTITATIF ESTIMATIF (D.Q.E.) – LOT N° 1"
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells("A3:F4")
    ws["A3"] = (
        "Notice : le candidat renseigne uniquement les cellules en fond bleu. Les cellules en fond vert "
        "sont des formules de calcul – ne pas modifier. Les prix doivent être identiques à ceux de l'offre."
    )
    ws["A3"].alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEF", (8, 52, 8, 11, 16, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.append([])
    ws.append(["N°", "Désignation des ouvrages", "Unité", "Quantité", "Prix unitaire € HT", "Montant € HT"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    validation.error = "Saisissez un prix positif en euros HT."
    ws.add_data_validation(validation)
    subtotals: list[str] = []
    for title, items in DQE_SECTIONS:
        ws.append(["", title])
        ws.cell(ws.max_row, 2).font = Font(bold=True)
        first = ws.max_row + 1
        for code, label, unit, qty in items:
            ws.append([code, label, unit, qty, None, None])
            row = ws.max_row
            ws.cell(row, 6).value = f"=D{row}*E{row}"
            price = ws.cell(row, 5)
            price.number_format = money
            price.fill = blue
            price.protection = Protection(locked=False)
            validation.add(price.coordinate)
            ws.cell(row, 6).number_format = money
            ws.cell(row, 6).fill = green
        last = ws.max_row
        ws.append(["", f"Sous-total {title.split(' – ')[1].lower()}", "", "", "", f"=SUM(F{first}:F{last})"])
        subtotals.append(f"F{ws.max_row}")
        ws.cell(ws.max_row, 6).number_format = money
        ws.cell(ws.max_row, 6).fill = green
    ws.append(["", "TOTAL HT", "", "", "", "=" + "+".join(subtotals)])
    total_row = ws.max_row
    ws.append(["", "TVA 20 %", "", "", "", f"=ROUND(F{total_row}*20%,2)"])
    ws.append(["", "TOTAL TTC", "", "", "", f"=F{total_row}+F{total_row + 1}"])
    for row in range(total_row, total_row + 3):
        ws.cell(row, 2).font = Font(bold=True)
        ws.cell(row, 6).number_format = money
        ws.cell(row, 6).fill = green
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.protection.sheet = True  # no password: real DQEs often lock the formulas this way
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def make_dwg() -> bytes:
    # Not a real drawing: an AutoCAD 2018 signature and filler, enough to be listed as a plan.
    return b"AC1032" + bytes(range(256)) * 8


# --- ZIP ----------------------------------------------------------------------------------------
class _Cp437Info(zipfile.ZipInfo):
    """An entry whose name is stored in CP437 with no UTF-8 flag (like old Windows tools)."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile.ZipInfo hook
        return self.filename.encode("cp437"), self.flag_bits & ~0x800


def _info(name: str, cp437: bool = False) -> zipfile.ZipInfo:
    info = (_Cp437Info if cp437 else zipfile.ZipInfo)(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _fixed_zip(data: bytes) -> bytes:
    """The same ZIP with fixed entry dates (python-docx and openpyxl stamp the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2027-05-03T09:00:00Z", data)
            dst.writestr(_info(item.filename), data)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes, bool]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data, cp437 in entries:
            zf.writestr(_info(name, cp437), data)
    return out.getvalue()


def build() -> bytes:
    plans = _zip([("Plan masse.dwg", make_dwg(), False), ("Plan de situation.pdf", make_plan_pdf(), False)])
    return _zip(
        [
            ("Règlement de consultation.pdf", make_rc(), True),
            (f"{REF}_CCAP.pdf", make_ccap(), False),
            (f"{REF}_CCTP_Indice-A.pdf", make_cctp(), False),
            (f"{REF}_Cadre_de_réponse_technique.docx", make_cadre(), False),
            (f"{REF}_AE.docx", make_ae(), False),
            (f"{REF}_DPGF_LOT-01-03.xlsx", make_dpgf(), False),
            (f"{REF}_DQE_LOT-01.xlsx", make_dqe(), False),
            ("Plans.zip", plans, False),
        ]
    )


def main() -> int:
    OUT.write_bytes(build())
    print(f"{OUT} ({OUT.stat().st_size} octets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
