"""Pieces the candidate must hand in (candidature and offre), from the RC's list of pieces to produce.

Only the section that says what to produce is read; pieces asked only from the winner, optional or
conditional ones, and the list of what the DCE itself contains are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.analysis import Evidence
from app.domain.kinds import RequiredDocument as R

from .source import Line, Page
from .text import BULLET, HEADING_PREFIX, has_leaders, has_word, heading_number, is_later_section

_START = re.compile(
    rf"^{HEADING_PREFIX}(?:le\s+|la\s+|les\s+|l'|votre\s+|vos\s+|leurs?\s+|son\s+|sa\s+|ses\s+|chaque\s+)?(?:modalites\s+de\s+)?(?:presentation\s+des\s+(?:candidatures|offres|plis|propositions)|contenu\s+des\s+(?:plis|offres|candidatures|dossiers)"
    r"|contenu\s+du\s+(?:dossier|pli)|pieces?\s+(?:relatives?|constitutives?)\s+(?:a\s+la\s+candidature|a\s+l'offre|de\s+la\s+candidature|de\s+l'offre)"
    r"|pieces?\s+(?:a\s+(?:fournir|produire|remettre|joindre)|de\s+la\s+candidature|de\s+l'offre)"
    r"|(?:documents?|elements?)\s+(?:a\s+(?:fournir|produire|remettre)|necessaires|de\s+la\s+candidature)"
    r"|composition\s+(?:du|des)\s+(?:pli|plis|dossier|offre|candidature|reponse)|dossier\s+de\s+(?:candidature|reponse|l'offre)"
    r"|contenu\s+de\s+(?:la\s+candidature|l'offre|la\s+reponse|l'enveloppe)|constitution\s+(?:du|des)\s+(?:dossier|pli|offre)"
    r"|(?:le\s+|les\s+|chaque\s+)?(?:candidat|soumissionnaire)s?\s+(?:(?:devra|devront|doit|doivent|aura|auront)\s+(?:a\s+)?(?:produire|fournir|remettre)"
    r"|(?:produi(?:t|ra|sent|ront)|fourni(?:t|ra|ssent|ront)|remet(?:tra|tent|tront)?|joi(?:nt|ndra|gnent|ndront))\b)"
    r"|justifications?\s+a\s+produire|candidature\s*:|offre\s*:|dossier\s+a\s+(?:remettre|fournir|produire)"
    # "Le pli contiendra", "L'offre comprend", "Le dossier du candidat contient", "Les propositions
    # seront composées de": what the candidate's pli, offer or file holds, in any tense.
    r"|(?:pli|dossier|offre|candidature|proposition|reponse)s?(?:\s+(?:du|des|de\s+la|de)\s+(?:candidat|soumissionnaire|candidature)s?)?"
    r"\s+(?:comprend|contient|comprendr(?:a|ont)|contiendr(?:a|ont)|(?:doi(?:t|vent)|devr(?:a|ont))\s+contenir|se\s+compose|(?:est|sera|seront)\s+composee?s?))"
)
_END = re.compile(
    rf"^{HEADING_PREFIX}(?:jugement|examen|analyse|selection\s+des\s+candidatures|criteres|attribution|"
    r"conditions\s+d'envoi|conditions\s+de\s+remise|modalites\s+de\s+(?:remise|transmission|envoi)|remise\s+des\s+(?:plis|offres)|"
    r"transmission\s+(?:des\s+(?:plis|offres|candidatures)|electronique)|depot\s+des\s+(?:plis|offres)|"
    r"date\s+limite|negociation|renseignements\s+complementaires|visite|ouverture\s+des\s+plis)"
)
# What marks a piece as not asked of every candidate at submission.
_WINNER = re.compile(
    r"attributaire|candidat\s+retenu|titulaire\s+pressenti|avant\s+(?:l'attribution|la\s+notification|la\s+signature)|"
    r"auquel\s+il\s+est\s+envisage|envisage\s+d'attribuer|sera\s+retenu|sera\s+attribue|apres\s+(?:l'attribution|le\s+classement)|"
    r"en\s+cas\s+d'attribution|lors\s+de\s+l'attribution|au\s+stade\s+de\s+l'attribution|le\s+laureat"
)
_OPTIONAL = re.compile(
    r"\bpeu(?:t|vent)\b|\bpourr(?:a|ont)\b|\bs'il\s+(?:le\s+souhaite|y\s+a\s+lieu)|"
    r"\ben\s+cas\s+de\s+(?:sous-traitance|groupement|recours)|\bsi\s+le\s+candidat|\bsi,|^si\s|\baccepte\s+que|"
    r"\beligible|\bpossibilite|\bsont\s+invites|\best\s+invite|\bou\s+equivalent\b(?=.*\bdume\b)|\bn'est\s+pas\s+obligatoire|"
    r"\bne\s+sont\s+pas\s+tenus|\bn'est\s+pas\s+tenu|\bdispense|\bne\s+(?:sont|est)\s+pas\s+a\s+(?:remettre|fournir|produire|joindre)|"
    r"\bsouhaite|\bfaculte|\benvisage\s+de"
)
# Optional wherever it is written in the sentence ("Planning (facultatif)", "DC4, le cas échéant").
_OPTIONAL_ANYWHERE = re.compile(
    r"\bfacultati|\ble\s+cas\s+echeant\b|\bsi\s+besoin\b|\beventuellement\b|\bsi\s+necessaire\b"
)
_DCE_CONTENT = re.compile(
    r"(?:dossier\s+de\s+(?:la\s+)?consultation(?:\s+des\s+entreprises)?|le\s+dce)"
    r"\s+(?:comprend|contient|est\s+(?:compose|constitue)|se\s+compose)"
)

_DOCS: tuple[tuple[R, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        (R.DC1, r"\bdc\s?1\b|lettre\s+de\s+candidature"),
        (R.DC2, r"\bdc\s?2\b|declaration\s+du\s+candidat"),
        (R.DUME, r"\bdume\b|document\s+unique\s+de\s+marche\s+europeen"),
        (R.DC4, r"\bdc\s?4\b"),
        (
            R.SOUS_TRAITANCE,
            r"declaration\s+de\s+sous-traitance|acte\s+special\s+de\s+sous-traitance|demande\s+d'acceptation\s+(?:du|des|de)\s+sous-traitants?",
        ),
        (
            R.KBIS,
            r"k\s?-?bis\b|extrait\s+(?:d'immatriculation|du\s+registre\s+du\s+commerce)|inscription\s+au\s+registre",
        ),
        (
            R.ATTESTATION_ASSURANCE,
            r"attestations?\s+d'assurances?|assurances?\s+(?:de\s+)?responsabilite|assurance\s+pour\s+les\s+risques|police\s+d'assurance|assurance\s+decennale",
        ),
        (R.CHIFFRE_AFFAIRES, r"chiffres?\s+d'affaires?\b"),
        (
            R.REFERENCES,
            r"references?\s+(?:de|des|pour|sur|en)\s+(?:\w+\s+){0,3}(?:prestations|travaux|services|fournitures|marches|operations|chantiers|livraisons|missions|interventions|projets|contrats)|liste\s+des\s+(?:principa(?:les?|ux)\s+)?(?:prestations|travaux|services|fournitures|livraisons)|certificats?\s+de\s+capacites?"
            r"|liste\s+(?:de\s+|des\s+)?(?:principales\s+)?references|references\s+(?:similaires|datant|recentes|de\s+moins|professionnelles|clients)"
            r"|attestations?\s+de\s+bonne\s+execution",
        ),
        (
            R.CERTIFICATIONS,
            r"certificats?\s+de\s+qualifications?|qualifications?\s+professionnelles?|\bqualibat\b|\bqualifelec\b|\bopqibi\b|\bopqcb\b|\bqualiopi\b|\bmase\b|\brge\b|certifications?\s+(?:iso|qualite|professionnelles?)|\biso\s?\d{4,5}|marquage\s+ce\b|certificats?\s+de\s+conformite"
            r"|\bagrements?\b(?!\s+(?:des?|du)\s+(?:sous-traitants?|conditions|paiement))",
        ),
        (
            R.EFFECTIFS,
            r"effectifs?\s+(?:moyens?\s+)?annuels?|declaration\s+(?:indiquant|concernant)\s+les\s+effectifs|effectifs\s+du\s+candidat|importance\s+du\s+personnel|declarations?\s+d'effectifs"
            r"|moyens\s+humains\s+(?:et\s+(?:techniques|materiels)\s+)?dont\s+(?:dispose|disposera)|moyens\s+humains\s+et\s+materiels\s+dont",
        ),
        (
            R.MOYENS_MATERIELS,
            r"outillage|materiel\s+et\s+(?:de\s+l')?equipement|moyens\s+(?:humains\s+et\s+)?materiels|equipements?\s+techniques?\s+dont",
        ),
        (
            R.ATTESTATIONS_FISCALES_SOCIALES,
            r"attestations?\s+(?:fiscales?|sociales?|de\s+regularite|urssaf|de\s+vigilance)|obligations\s+fiscales\s+et\s+sociales|certificats?\s+fiscaux",
        ),
        (R.RIB, r"\brib\b|releve\s+d'identite\s+bancaire"),
        (R.AE, r"acte\s+d'engagement|\battri\s?1\b|\bae\b"),
        (R.DPGF, r"\bdpgf\b|decomposition\s+du\s+prix\s+global"),
        (R.BPU, r"\bbpu\b|bordereau\s+des?\s+prix"),
        (R.DQE, r"\bdqe\b|detail\s+(?:quantitatif\s+)?estimatif|devis\s+quantitatif"),
        (
            R.MEMOIRE_TECHNIQUE,
            # "un mémoire technique / justificatif / présentant l'organisation…": any mémoire asked.
            r"\bmemoire\b|note\s+methodologique|offre\s+technique\s+detaillee",
        ),
        (R.CADRE_REPONSE, r"cadre\s+de\s+reponse|questionnaire\s+technique"),
        (R.PLANNING, r"\bplanning\b|calendrier\s+previsionnel\s+d'execution"),
        (R.ATTESTATION_VISITE, r"(?:attestation|certificat)\s+de\s+visite"),
        (R.DECLARATION_HONNEUR, r"declaration\s+sur\s+l'honneur"),
        (
            R.POUVOIR_SIGNATAIRE,
            r"pouvoirs?\s+(?:de\s+la\s+personne|du\s+signataire|habilitant)|personne\s+habilitee\s+(?:a|pour)\s+engager|delegation\s+de\s+signature|habilitation\s+du\s+signataire|pouvoirs?\s+(?:de\s+)?signature",
        ),
    )
)


def names_a_document(folded: str) -> bool:
    """True when the text names a piece of a bid ("CADRE DE RÉPONSE DU CANDIDAT", "DPGF")."""
    return any(pattern.search(folded) for _code, pattern in _DOCS)


# Sentences end at . or ; but not after an initial ("R. 2143-6", "art. 5").
_SENTENCE_END = re.compile(r"(?<=[.;])(?<!\s[a-z]\.)(?<!\sart\.)\s+")
_NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}[.)]\s|[a-h]\)\s)")
# "Ce DUME … permettra de :" introduces what a service does for the candidate, not pieces to give.
_ENABLES = re.compile(r"\bpermet(?:tra)?\s+(?:de|d')")
_NEGATED = re.compile(
    r"\bne\s+(?:sont|est|seront|sera)\s+pas\s+a\b|\bne\s+(?:doit|doivent)\s+pas\b|\bpas\s+(?:a\s+)?(?:remettre|fournir|joindre)\b"
    r"|\binutile\s+de\b|\b(?:est|sont)\s+(?:disponibles?|telechargeables?|consultables?|accessibles?)\b"
    r"|\bmise?s?\s+a\s+(?:la\s+)?disposition\b|\bfournie?s?\s+par\s+(?:l'acheteur|le\s+pouvoir|la\s+collectivite)"
)
# A piece named as the complement of another ("lors de la signature de l'acte d'engagement",
# "annexe à l'AE", "conformément à l'article du CCTP") is mentioned, not asked for.
_MENTIONED = re.compile(
    r"\b(?:signature|annexes?|approbation|articles?|conformement|termes|dispositions|lors|cadre|modele)\s+"
    r"(?:de\s+|des\s+|du\s+|a\s+|au\s+|aux\s+)(?:l'|la\s+|le\s+|les\s+)?$"
)
# A list introduced by "le DCE contient :" goes on until the next heading; its items are what the
# buyer provides, not what the candidate produces.
_DCE_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s*)?(?:contenu|composition)\s+du\s+(?:dossier\s+de\s+(?:la\s+)?consultation|dce)"
)


def _section_lines(pages: Sequence[Page]) -> list[tuple[Page, Line]]:
    """Lines of the sections that list the pieces to produce (several sections may qualify)."""
    out: list[tuple[Page, Line]] = []
    inside = False
    anchor: tuple[int, ...] | None = None  # number of the heading that opened the section
    for page in pages:
        for line in page.lines:
            folded = line.folded
            if has_leaders(line.text):
                continue
            short = len(folded) < 110
            number = heading_number(line.text)
            if short and _START.match(folded) and not _DCE_HEADING.match(folded):
                # "4.1 Éléments de la candidature" inside "4. Présentation des offres": the section
                # runs to the end of the outer one.
                if not inside or anchor is None or (number is not None and number[: len(anchor)] != anchor):
                    anchor = number or anchor
                inside = True
            elif not inside and _START.match(folded):
                out.append((page, line))  # "Les candidats fourniront …": a sentence is its own section
                continue
            elif inside and ((short and _END.match(folded)) or is_later_section(anchor, number)):
                inside = False
                anchor = None
            if inside:
                out.append((page, line))
    return out


_CLAUSE = re.compile(r"[,;:()]|\s(?:et|ou|ainsi\s+que)\s")
_LIST_ITEM_END = re.compile(r"[;,]\s*(?:et|ou)?\s*$|^\W")


def _optional_clause(sentence: str, start: int, end: int) -> bool:
    """'facultatif', 'le cas échéant' make optional only the part of an item they govern: the
    clause they open ("l'attestation d'assurance et, le cas échéant, le DC4": the DC4), or, written
    last, the item before them ("La déclaration de sous-traitance (DC4), le cas échéant.")."""
    for marker in _OPTIONAL_ANYWHERE.finditer(sentence):
        after = sentence[marker.end() :]
        trailing = not has_word(after.split(";")[0])
        if trailing:
            lo = sentence.rfind(";", 0, marker.start()) + 1
            if lo <= start < marker.start():
                return True
            continue
        bounds = [0, *(m.start() for m in _CLAUSE.finditer(sentence)), len(sentence)]
        clause_lo = max(b for b in bounds if b <= marker.start())
        # The marker's own clause, and the clause it opens when it stands alone between commas.
        following = [b for b in bounds if b > marker.end()]
        clause_hi = following[0] if following else len(sentence)
        if not has_word(sentence[marker.end() : clause_hi]) and len(following) > 1:
            clause_hi = following[1]
        if clause_lo <= start and end <= clause_hi:
            return True
    return False


def find_required_documents(pages: Sequence[Page]) -> tuple[list[R], Evidence] | None:
    lines = _section_lines(pages)
    found: list[R] = []
    evidence: Evidence | None = None
    context_excluded = False  # an intro line ("L'attributaire fournira :") governs the bullets under it
    in_dce_list = False
    for page, line in lines:
        folded = line.folded
        bullet = bool(BULLET.match(folded) or _NUMBERED_ITEM.match(folded))
        if not bullet:
            context_excluded = bool(
                _WINNER.search(folded)
                or (folded.rstrip().endswith(":") and (_OPTIONAL.search(folded) or _ENABLES.search(folded)))
            )
            if _DCE_CONTENT.search(folded):
                in_dce_list = True
            elif heading_number(line.text) or _START.match(folded) or not _LIST_ITEM_END.search(line.text):
                in_dce_list = False
        if in_dce_list or (bullet and context_excluded):
            continue
        for sentence in _SENTENCE_END.split(folded):
            if _WINNER.search(sentence) or _NEGATED.search(sentence):
                continue
            for code, pattern in _DOCS:
                if code in found:
                    continue
                m = pattern.search(sentence)
                if m is None or _optional_clause(sentence, m.start(), m.end()):
                    continue
                # "Le candidat peut joindre un DUME": optional; "un mémoire qui peut comporter…": asked.
                if not _OPTIONAL.search(sentence[: m.start()]) and not _MENTIONED.search(
                    sentence[: m.start()][-60:]
                ):
                    found.append(code)
                    if evidence is None:
                        evidence = page.evidence(line.text[:240])
    if not found or evidence is None:
        return None
    # The DUME replaces DC1/DC2; when both are named it is the alternative, not an extra piece.
    if R.DUME in found and (R.DC1 in found or R.DC2 in found):
        found.remove(R.DUME)
    return found, evidence
