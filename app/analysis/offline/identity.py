"""Acheteur, objet and référence of the consultation, from the cover page's labelled fields."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import islice

from app.domain.analysis import Evidence
from app.domain.document import CELL_BREAK, PieceText

from .documents import names_a_document
from .sections import heading
from .source import SENTENCE_BREAK, Line, Page, Pages, piece_groups
from .text import BULLET, HEADING_PREFIX, fold, has_leaders, has_word, squash

# (value, evidence) or (value, evidence, sure): sure is False when the value was inferred, not read
# under a label (shown "à vérifier").
Found = tuple[str, Evidence] | tuple[str, Evidence, bool]

_BUYER_LABEL = re.compile(
    rf"^{HEADING_PREFIX}(?:l'|le\s+|la\s+)?(?:nom\s+(?:et\s+adresse\s+)?(?:officiels?\s+)?(?:de\s+l'|du\s+)?(?:organisme\s+acheteur|acheteur|pouvoir\s+adjudicateur|organisme)|"
    r"identification\s+(?:de\s+l'(?:acheteur|organisme|entite\s+adjudicatrice)|du\s+pouvoir\s+adjudicateur)|acheteur\s+public|acheteur|pouvoir\s+adjudicateur|"
    r"entite\s+adjudicatrice|maitre\s+d'ouvrage|maitrise\s+d'ouvrage|personne\s+publique|collectivite|"
    r"organisme\s+acheteur|organisme(?=\s*:)|donneur\s+d'ordre)(?:\s+(?:acheteur|public|contractante?))?\s*(?:\(.*?\))?"
    r"(?:\s*\b(?:est|sont)(?=\s*:))?\s*(?::|-|–)?\s*"
)
_OBJECT_LABEL = re.compile(
    rf"^{HEADING_PREFIX}(?:objet\s+(?:de\s+la\s+consultation|du\s+marche(?:\s+public)?|de\s+l'accord-cadre|de\s+l'accord\s+cadre|"
    r"du\s+contrat|des\s+prestations)|objet(?!\s+et\b)|(?:intitule|designation|libelle|titre)\s+(?:de\s+la\s+consultation|du\s+marche))"
    r"\s*(?::|-|–)?\s*"
)
_OBJECT_SENTENCE = re.compile(
    r"(?:la\s+(?:presente\s+)?consultation|le\s+present\s+(?:marche|accord-cadre|contrat)|l'accord-cadre|le\s+marche)"
    r"\s+(?:(?:a|ont)\s+pour\s+objet|concerne|porte\s+sur)\s*:?\s*(?:la\s+|le\s+|les\s+|l')?"
    # "X lance une consultation, sous la référence …, en vue de l'entretien …": the buyer launches it.
    r"|\blance\s+(?:une|la\s+presente)\s+(?:consultation|procedure|mise\s+en\s+concurrence)[^.;]{0,80}?"
    r"\b(?:en\s+vue\s+d[e']|pour|relative?\s+a|portant\s+sur|ayant\s+pour\s+objet)\s*(?:la\s+|le\s+|les\s+|l')?"
)
_STOP_LABEL = re.compile(
    r"^(?:date|heure|adresse|telephone|tel\b|courriel|e-mail|mail|site|procedure|reference|n°|numero|"
    r"acheteur|pouvoir|maitre|type|mode|lieu|duree|delai|code|cpv|sommaire|reglement|marche\s+n|"
    r"dossier|consultation\s+n|representant|personne|siret|remise|limite|www|http)"
)
_REFERENCE = re.compile(
    r"(?:reference\s+(?:de\s+la\s+consultation|du\s+marche|de\s+la\s+procedure|interne|acheteur)?|"
    r"(?:n°|no|numero)\s+(?:de\s+(?:la\s+)?)?(?:consultation|procedure|marche|dossier|affaire)|"
    # "Marché n°", "Appel d'offres ouvert européen n°", "Marché public de travaux n°": the kind of
    # procedure, up to three words that qualify it, then the number's sign.
    r"(?:consultation|procedure|marche|accord-cadre|dossier|affaire|operation|mapa|appel\s+d'offres)"
    r"(?:\s+(?:ouvert|restreint|europeen|international|public|adapte|negocie|subsequent|de|travaux|"
    r"services|fournitures)){0,3}\s+(?:n°|no|numero|ref\.?)|ref\.?(?:\s+(?:interne|acheteur|marche|consultation|dossier))?|"
    r"procedure|consultation|marche)\s*(?:n°|no)?\s*[:.]?\s*"
    # "AOO 2026-0412": a short letter prefix may stand apart from the number.
    r"((?:(?!(?:du|de|le|la|les|des|au|aux|en|et|un|une|sur|par|pour|est)\s)[a-z]{2,6}\s(?=\d))?"
    r"[a-z0-9][a-z0-9_./-]*\d[a-z0-9_./-]*|\d[a-z0-9_./-]*)"
)


def _value_after(page: Page, index: int, label_len: int) -> tuple[str, int, int] | None:
    """Value written after a label, on the same line or on the following lines; (value, first, last)."""
    line = page.lines[index]
    rest = squash(line.text[label_len:]).strip(" :–-")
    if re.match(r"^(?:est|sont|se\s+nomme)\b", fold(rest)):
        rest = ""  # "La personne publique contractante est :" — the value follows
    if rest and len(rest) > 2 and not _STOP_LABEL.match(fold(rest)):
        return rest, index, index
    parts: list[str] = []
    last = index
    for j in range(index + 1, min(len(page.lines), index + 5)):
        text = page.lines[j].text.strip()
        folded = page.lines[j].folded
        if not text or has_leaders(text) or _STOP_LABEL.match(folded) or _OBJECT_LABEL.match(folded):
            break
        parts.append(text)
        last = j
        if text.endswith(".") or len(" ".join(parts)) > 240:
            break
    if not parts:
        return None
    return " ".join(parts), index + 1, last


# "Habitat X / Société anonyme d'HLM / Maître d'ouvrage": the legal form sits under the name.
_LEGAL_FORM = re.compile(
    r"^(?:societe\s+(?:anonyme|d'economie\s+mixte|publique\s+locale|cooperative)|s\.?a\.?\s+d'h\.?l\.?m|"
    r"entreprise\s+sociale\s+pour\s+l'habitat|etablissement\s+public|groupement\s+d'interet\s+public|"
    r"association|office\s+public)\b"
)


def _captioned(page: Page, index: int, entity: re.Pattern[str]) -> int | None:
    """The line a bare label captions: an entity name just above it, or the name above its legal form."""
    for j in (index - 2, index - 1):
        if j >= 0 and entity.match(page.lines[j].folded) and not _LEGAL_FORM.match(page.lines[j].folded):
            return j
    for j in (index - 1, index - 2):
        if j >= 1 and _LEGAL_FORM.match(page.lines[j].folded) and len(page.lines[j - 1].text) < 100:
            return j - 1
    for j in (index - 1, index - 2):
        if j >= 0 and entity.match(page.lines[j].folded):
            return j
    return None


def _quote_lines(page: Page, first: int, last: int) -> str:
    return " ".join(line.text for line in page.lines[first : last + 1])


def _labelled(
    pages: Sequence[Page],
    label: re.Pattern[str],
    max_pages: int = 3,
    caption_of: re.Pattern[str] | None = None,
) -> tuple[str, Evidence] | None:
    """The value of the first labelled field. With `caption_of`, a bare label written *under* a
    value of that shape ("COMMUNAUTÉ DE COMMUNES … / Maître d'ouvrage") captions the line above."""
    seen: set[str] = set()
    for page in pages:
        if page.piece.path not in seen and len(seen) >= 3:
            break
        seen.add(page.piece.path)
        if page.number > max_pages:
            continue
        for i, line in enumerate(page.lines):
            if len(line.cells) >= 2:
                # A summary table's row "Acheteur | Ville de T  Hôtel de ville…": the value is the
                # next cell, its wrapped lines joined.
                head = fold(line.cells[0]).strip(" :")
                cell = label.match(head)
                if cell is not None and cell.end() >= len(head) and has_word(line.cells[1]):
                    value = " ".join(part.strip() for part in line.cells[1].split(CELL_BREAK))
                    return value.strip(" .;:"), page.evidence(line.text[:300])
            m = label.match(line.folded)
            if m is None or has_leaders(line.text) or len(line.text) > 300:
                continue
            # The label alone or followed by ':' — never a sentence that merely mentions it.
            rest = line.folded[m.end() :]
            if rest and len(rest.split()) > 3 and not re.search(r"[:–-]\s*$", line.folded[: m.end()]):
                continue
            if caption_of is not None and not rest.strip(" :-") and i > 0:
                below = page.lines[i + 1].folded if i + 1 < len(page.lines) else ""
                above = None if caption_of.match(below) else _captioned(page, i, caption_of)
                if above is not None:
                    return page.lines[above].text.strip(" .;:"), page.evidence(_quote_lines(page, above, i))
            found = _value_after(page, i, m.end())
            if found is None:
                continue
            value, _first, last = found
            value = value.strip(" .;:")
            if len(value) < 3:
                continue
            return value, page.evidence(_quote_lines(page, i, last)[:300])
    return None


_ADDRESS = re.compile(
    r"\s+\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|place|avenue|av\.|bd|boulevard|chemin|route|allee|quai|cours|impasse|square|esplanade|rond-point|parvis)\b|"
    r",\s*(?=\d|adresse|bp\b|cs\b|rue|place|avenue|boulevard|chemin|route|represente)|\s+[-–]\s+(?=\d)|\.\s"
    r"|\s+(?=hotel\s+d(?:[eu]s?\b|')|\d{5}\s+[a-z])"
)


# A public buyer's name as it heads a cover page ("Ville de …", "Communauté de communes …").
_ENTITY = re.compile(
    r"^(?:la\s+|le\s+|l')?(?:commune|ville|mairie|departement|conseil\s+(?:departemental|regional|general)|region\b|"
    r"communaute\s+(?:de\s+communes|d'agglomeration|urbaine)|metropole|eurometropole|syndicat|sivom|sivu|"
    r"etablissement\s+public|centre\s+(?:hospitalier|communal|de\s+gestion)|chu\b|chru?\b|hopita|office\s+public|oph\b|"
    r"universite|lycee|college|sdis\b|service\s+departemental|ministere|prefecture|agence|caisse|chambre|ccas\b|"
    r"parc\s+naturel|grand\s+port|port\s+autonome|institut|gip\b|groupement\s+hospitalier|ept\b|"
    r"direction\s+(?:regionale|departementale|interregionale|generale|interdepartementale)|assistance\s+publique|"
    r"etat\b|ecole\s+(?:nationale|superieure)|epci\b|pole\s+metropolitain|territoire\s+de|collectivite)\b"
)


# "Lorient Agglomération", "Nantes Métropole", "Loire Habitat": the kind of body written last.
_ENTITY_SUFFIX = re.compile(
    r"^(?!(?:direction|service|pole|mission|cellule|departement\s+d|agence\s+d)\b)"
    r"[a-z][a-z' -]{1,40}\s(?:agglomeration|metropole|habitat|territoires?|communaute)$"
)


# "SMICTOM DU PAYS DE …", "SIAEP de la Vallée", "SDIS 64": the acronyms public bodies go by.
_ACRONYM = re.compile(
    r"^(?:SMICTOM|SICTOM|SMIRTOM|SIRTOM|SMITOM|SYCTOM|SIVOM|SIVOS|SIVU|SIRP|SIAEP|SMAEP|SIEA|SIEPA|SIAH|SIAAP|"
    r"SDIS|SDE|SDEA|SDEC|SDED|SYDED|SYDEV|SYDEC|SYDER|SIDEC|SMO|SMBV|SMIAC|SMTC|SYTRAL|CCAS|CIAS|CHU|CHI|CHR|CHRU|"
    r"CHS|EPT|GIP|OPH|SPL|SEM|EPCC)\b\s*(?:DU|DE|DES|D'|D’|de|du|des|d'|d’|\d|$)"
)


def _without_address(value: str) -> str:
    cut = _ADDRESS.search(fold(value))
    return value[: cut.start()].strip(" ,.-–") if cut and cut.start() > 3 else value


# "Centre hospitalier de X, établissement support du GHT", "Ville de Y, coordonnateur du groupement
# de commandes": the body that buys for a group (a GHT is not a legal person) names itself so.
_BUYS_FOR_GROUP = re.compile(
    r"[\s,(–-]+(?:agissant\s+(?:en\s+qualite\s+de|comme)\s+)?(?:etablissement\s+support|coordonnat(?:eur|rice)|mandataire)\b"
)


def _entity_line(pages: list[Page]) -> tuple[str, Evidence] | None:
    for page in pages[:1]:
        found: list[tuple[str, str]] = []
        texts = [*(line.text for line in page.lines[:40]), *page.headers]
        for index, text in enumerate(texts):
            if has_leaders(text) or len(text) > 200:
                continue
            form = _LEGAL_FORM.match(fold(text))
            legal = form is not None
            if legal or _ENTITY.match(fold(text)) or _ENTITY_SUFFIX.match(fold(text)) or _ACRONYM.match(text):
                role = _BUYS_FOR_GROUP.search(fold(text))
                value = text[: role.start()] if role is not None and role.start() > 5 else text
                value = _without_address(value).split(" – ")[0].split(" - ")[0].strip()
                above = texts[index - 1].strip() if legal and 0 < index < 40 else ""
                if (
                    above
                    and len(above.split()) <= 8
                    and has_word(above)
                    and not any(c.isdigit() for c in above)
                ):
                    # "SEMAVAL / Société d'économie mixte …", "CENTRALE D'ACHAT … / Groupement
                    # d'intérêt public": a legal form under the body's name; both name it.
                    value = f"{above} – {value}"
                elif form is not None and len(value) - form.end() < 12:
                    continue  # the legal form alone ("Groupement d'intérêt public") names no one
                if len(value) >= 5:
                    found.insert(0 if role is not None else len(found), (value, text))
        if found:
            return found[0][0], page.evidence(squash(found[0][1]))
    return None


_DOCUMENT_TITLE = ("reglement de la consultation", "reglement de consultation", "reglement consultation")


def _above_title(pages: list[Page]) -> tuple[str, Evidence] | None:
    """The name written above the RC's title on its cover ("RÉGIE DES EAUX DU PAYS DE CAUX /
    RÈGLEMENT DE LA CONSULTATION"), when no word tells what kind of body it is."""
    for page in pages[:1]:
        lines = page.lines[:12]
        title = next((i for i, line in enumerate(lines) if line.folded.startswith(_DOCUMENT_TITLE)), None)
        for line in lines[: title or 0]:
            text = line.text.strip()
            if (
                has_word(text)
                and 2 <= len(text.split()) <= 12
                and not any(c.isdigit() for c in text)
                and not text.endswith((".", ":"))
                and not _NOT_TITLE.search(line.folded)
                and not names_a_document(line.folded)
            ):
                return text, page.evidence(text)
    return None


def find_buyer(pages: Sequence[Page]) -> Found | None:
    """Per piece (RC first, three at most): a labelled buyer, else the name heading its cover page."""
    for piece_pages in _by_piece(pages, 3):
        found = _labelled(piece_pages, _BUYER_LABEL, caption_of=_ENTITY)
        if found is not None:
            value = found[0]
            field = _NAME_FIELD.match(fold(value))
            if field is not None and len(value) - field.end() >= 3:
                value = value[field.end() :]  # "Identification … / Nom : Ville de T"
            return _without_service(_without_address(value)), found[1]
        found = _entity_line(piece_pages)
        if found is not None:
            return found[0], found[1], False  # a name heading the cover, no label: à vérifier
    for piece_pages in _by_piece(pages, 1):
        found = _above_title(piece_pages)
        if found is not None:
            return found[0], found[1], False
    return None


_NAME_FIELD = re.compile(r"^(?:nom(?:\s+officiel)?|denomination(?:\s+sociale)?|raison\s+sociale)\s*:\s*")
# "Commune de Lézat – Services techniques": the department after a dash is not the buyer's name.
_SERVICE = re.compile(r"\s+[-–—]\s+(?:services?|direction|pole|dgs|dst|cellule|bureau|departement\s+des)\b")


def _without_service(value: str) -> str:
    cut = _SERVICE.search(fold(value))
    return value[: cut.start()].strip() if cut and cut.start() > 3 else value


def _by_piece(pages: Sequence[Page], limit: int) -> Iterator[list[Page]]:
    """The first pages (up to 5) of the first `limit` pieces, without preparing the others."""
    return (group[:5] for group in islice(piece_groups(pages), limit))


_NESTED_OBJECT = re.compile(
    r"\b(?:ayant|qui\s+ont|qui\s+a|dont)\s+(?:pour\s+)?(?:l')?objet\s*:?\s*(?:la\s+|le\s+|les\s+|l')?"
)


def _heading_rest(value: str) -> bool:
    """The rest of a heading line after its label ("ET ALLOTISSEMENT", "ET DISPOSITIONS GÉNÉRALES")."""
    folded = fold(value).strip()
    words = folded.split()
    return folded.startswith(("et ", "& ", "- et ")) or (len(words) <= 3 and value.isupper())


def find_object(pages: Sequence[Page]) -> Found | None:
    found = _labelled(pages, _OBJECT_LABEL)
    if found is not None and _heading_rest(found[0]):
        found = None  # "OBJET DE LA CONSULTATION ET ALLOTISSEMENT": a heading, the value is below
    if found is not None:
        value, evidence = found
        lead = _OBJECT_SENTENCE.search(fold(value))
        if lead is None:
            # A sentence of context under the label ("Le Département assure l'entretien de…"): the
            # sentence that states the object, when the section goes on with one, is the object.
            stated = _stated_in_section(pages, evidence)
            if stated is not None:
                return stated
        if lead is not None:
            value = value[lead.end() :].lstrip(" :")
        stop = SENTENCE_BREAK.search(value)
        if stop is not None and stop.start() > 10:
            value = value[: stop.start()]
        nested = _NESTED_OBJECT.search(fold(value))
        if nested is not None:
            value = value[nested.end() :]
        return value.strip(" .,;:"), evidence
    for page in islice(pages, 6):
        stated = _stated_object(page, 0, len(page.folded))
        if stated is not None:
            return stated
    title = _cover_title(pages)
    return None if title is None else (title[0], title[1], False)  # the cover's title: à vérifier


def _stated_in_section(pages: Sequence[Page], evidence: Evidence) -> tuple[str, Evidence] | None:
    """The object stated by a sentence in the labelled section (a few lines, up to the next heading)."""
    # Unpaged pieces (DOCX, ODT) cite no page: the evidence is on the one of their pages that holds it.
    page, at = None, -1
    for candidate in pages:
        if candidate.piece.path != evidence.file or (
            candidate.piece.paged and candidate.number != evidence.page
        ):
            continue
        at = candidate.flat.find(evidence.quote[:60])
        if at >= 0:
            page = candidate
            break
    if page is None or at < 0:
        return None
    until = at + len(evidence.quote)
    for line in [line for line in page.lines if line.start >= until][:3]:
        if heading(line) is not None:
            break
        until = line.start + len(line.text)
    return _stated_object(page, at, until)


def _stated_object(page: Page, begin: int, until: int) -> tuple[str, Evidence] | None:
    """The object as a sentence states it ("La présente consultation a pour objet …"), between
    `begin` and `until` on the page."""
    m = _OBJECT_SENTENCE.search(page.folded, begin, until)
    if m is None:
        return None
    stop = SENTENCE_BREAK.search(page.flat, m.end())
    end = stop.start() if stop is not None else page.flat.find(".", m.end())
    end = end if 0 < end - m.end() < 300 else min(len(page.flat), m.end() + 200)
    start = m.end()
    # "porte sur la conclusion, par X, d'accords-cadres ayant pour objet Y": the object is Y.
    nested = _NESTED_OBJECT.search(page.folded, start, end)
    if nested is not None:
        start = nested.end()
    value = page.flat[start:end].strip(" ,.;:")
    if len(value) <= 5:
        return None
    return value, page.evidence(page.flat[m.start() : end + 1].strip())


# Cover-page lines that are not the title: the document's name, its type, the procedure, the
# buyer's services and address, dates and numbers.
_NOT_TITLE = re.compile(
    r"reglement|cahier\s+des|dossier\s+de\s+consultation|marches?\s+(?:public|de\s+(?:travaux|services|fournitures))|"
    r"^(?:accord-cadre|marche)\s+(?:a\s+bons|de\s+(?:travaux|services|fournitures|prestations))\b|"
    r"procedure|appel\s+d'offres|date|heure|limite|remise|article|sommaire|page|\btel\b|fax|courriel|www|http|@|"
    r"^[^:]{2,40}\s:\s|^[^:]{2,40}:\s|\d{5}|n°|\bref\b|criteres|conditions\s+d|pieces|jugement|presentation|\boffres?\b|candidature|"
    r"^(?:direction|service|pole|departement\s+des|maitre|acheteur|pouvoir|representant)"
)


def _cover_title(pages: Sequence[Page]) -> tuple[str, Evidence] | None:
    """The longest plain line of the RC's cover page ("RÉFECTION DE LA TOITURE DE L'ÉGLISE")."""
    for group in islice(piece_groups(pages), 1):
        page = group[0]
        best: Line | None = None
        for line in page.lines[:20]:
            folded = line.folded
            if (
                len(folded.split()) < 4
                or len(line.cells) >= 2  # a table row (a lot, a weight) is not the title
                or "%" in line.text  # nor a weighted criterion
                or len(line.text) > 200
                or has_leaders(line.text)
                or _ENTITY.match(folded)
                or _NOT_TITLE.search(folded)
                or line.text.rstrip().endswith((".", ":", ";", ","))
                or BULLET.match(folded)  # an item of a list is not the title
            ):
                continue
            if best is None or len(line.text) > len(best.text):
                best = line
        if best is not None:
            return best.text.strip(), page.evidence(best.text.strip())
    return None


_NOT_REFERENCE = re.compile(
    r"^(?:r|l|d)\.?\d|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{1,3}$|^\d{4}$|^\d{2,3}-\d{1,2}$|^\d{1,2}(?:\.\d{1,2})+$"
    r"|^20\d\d[./_-]\d{1,2}[./_-]\d{1,2}$"
)


def _reference_in(text: str) -> tuple[str, int, int] | None:
    folded = fold(text)
    for m in _REFERENCE.finditer(folded):
        value = text[m.start(1) : m.end(1)].strip("./-_")
        key = fold(value)
        if len(value) < 3 or _NOT_REFERENCE.match(key) or re.match(r"^\d+(?:er)?$", key):
            continue
        return value, m.start(), m.end()
    return None


# A consultation number: capitals and digits with separators ("2024-R041-000", "25TIC06",
# "AO/2025/014"), written alone on the cover, after "N°" in a running header, or in file names.
_CODE = re.compile(
    r"(?<![\w/.-])(?=[A-Z0-9_./-]*\d{2})(?=[A-Z0-9_./-]*[A-Z_./-])[A-Z0-9](?:[A-Z0-9]|[-_./](?=[A-Z0-9])){4,40}(?![\w/-])"
)
# Alone on its line, or after "N°" with at most a short document name before it ("R.C. N° …").
_ALONE = re.compile(r"^(?:(?:[a-z.]{1,12}\s+)?(?:n°|no\.?|numero|ref(?:erence)?\.?)\s*:?\s*)?(\S+)$")
_NUMBERED = re.compile(r"(?:n°|no\.|numero)\s*:?\s*(\S+)")


def _code(token: str) -> str | None:
    m = _CODE.fullmatch(token.strip(" .,;:()"))
    if m is None:
        return None
    value = m.group(0)
    key = fold(value)
    if _NOT_REFERENCE.match(key):
        return None
    return value


def _unlabelled_reference(pages: Sequence[Page]) -> Found | None:
    """Where no label names it: a code standing alone on a cover, after "N°" in running headers,
    or in the pieces' file names; the one most of these sources agree on."""
    votes: dict[str, set[str]] = {}
    where: dict[str, Evidence] = {}
    in_names: dict[str, list[PieceText]] = {}

    def vote(value: str, source: str, evidence: Evidence) -> None:
        key = fold(value)
        votes.setdefault(key, set()).add(source)
        where.setdefault(key, evidence)

    for group in islice(piece_groups(pages), 4):
        first = group[0]
        for line in first.lines[:15]:
            alone = _ALONE.match(line.folded.strip())
            value = _code(line.text.strip()[alone.start(1) :]) if alone else None
            if value:
                vote(value, "cover", first.evidence(line.text.strip()))
        for page in group:
            for header in page.headers:
                for m in _NUMBERED.finditer(fold(header)):
                    value = _code(header[m.start(1) : m.end(1)])
                    if value:
                        vote(value, "header", page.evidence(squash(header)))
    named = pages.all_pieces() if isinstance(pages, Pages) else [g[0].piece for g in piece_groups(pages)]
    for piece in named:
        stem = piece.name.rsplit(".", 1)[0]
        for token in stem.replace("_", " ").split():
            value = _code(token)
            if value and sum(ch.isdigit() for ch in value) >= 6 and sum(ch in "-./" for ch in value) >= 2:
                vote(value, "file", Evidence(file=piece.path, page=None, quote=piece.name))
            elif value and sum(ch.isdigit() for ch in value) >= 4:
                in_names.setdefault(value, []).append(piece)
    # A shorter code ("DCE_2026-0087_RC.pdf", "DCE_2026-0087_CCAP.pdf") counts when the names of
    # two pieces or more share it.
    for value, holders in in_names.items():
        if len(holders) >= 2:
            vote(value, "file", Evidence(file=holders[0].path, page=None, quote=holders[0].name))
    if not votes:
        return None
    rank = {"cover": 3, "header": 2, "file": 1}
    best = max(votes, key=lambda k: (len(votes[k]), max(rank[s] for s in votes[k])))
    evidence = where[best]
    quote_key = fold(evidence.quote)
    start = quote_key.find(best)
    value = evidence.quote[start : start + len(best)] if start >= 0 else best
    return value, evidence, len(votes[best]) >= 2


def find_reference(pages: Sequence[Page]) -> Found | None:
    """A labelled consultation number on the first pages (running headers included), else an
    unlabelled one that the cover, the headers and the file names agree on (sure when two agree)."""
    found = _labelled_reference(pages)
    return found if found is not None else _unlabelled_reference(pages)


def _labelled_reference(pages: Sequence[Page]) -> tuple[str, Evidence] | None:
    for page in islice(pages, 8):
        if page.number > 3:
            continue
        for header in page.headers:
            found = _reference_in(header)
            if found is not None:
                return found[0], page.evidence(squash(header))
        # The flat text lets "N° de la consultation :" and its value sit on two lines.
        found = _reference_in(page.flat[:4000])
        if found is not None:
            value, start, end = found
            return value, page.evidence(page.quote_around(start, end) if end - start < 200 else value)
    # Running headers that start after the first pages ("RC – Marché MAPA/2026/12 – page 4").
    for group in islice(piece_groups(pages), 2):
        for page in group:
            for header in page.headers:
                found = _reference_in(header)
                if found is not None:
                    return found[0], page.evidence(squash(header))
    return None
