"""Offline drafting: French templates per theme, filled only from the company profile and the library.

Nothing is invented: every number, certification, person and reference written here comes from the
profile (or a library block the company wrote); what is missing becomes a visible `[à compléter : …]`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from app.domain.analysis import Analysis
from app.domain.numbers import euros
from app.domain.profile import CompanyProfile, InsuranceKind
from app.drafting.body import strip_markers, table_token
from app.drafting.commitments import section_commitments
from app.drafting.gonogo import is_works
from app.drafting.markers import marker
from app.drafting.outline import OutlineSection, is_question
from app.drafting.requirements import Requirement
from app.drafting.reuse import (
    MAX_BLOCKS,
    THRESHOLD,
    LibraryIndex,
    LibraryText,
    ListIndex,
    Proposal,
    propose,
    reused_text,
)
from app.drafting.text import fold
from app.drafting.themes import Theme, themes_of

__all__ = ["DraftContext", "LibraryText", "draft_section", "plan_reuse"]


@dataclass
class DraftContext:
    profile: CompanyProfile
    analysis: Analysis
    library: list[LibraryText] = field(default_factory=list)
    similar_references: list[int] | None = None  # indexes in profile.references, closest first
    today: date = field(default_factory=date.today)
    primary_themes: set[Theme] = field(default_factory=set)  # themes some section of the outline answers
    works: bool | None = None  # marché de travaux; None: read from the object
    index: LibraryIndex | None = None  # the library's search index (built from `library` when None)
    requirements: list[Requirement] = field(default_factory=list)  # mapped to sections
    used: set[str] = field(default_factory=set)  # library blocks already in this mémoire
    reused: dict[str, list[Proposal]] = field(default_factory=dict)  # section key → blocks it took
    planned: dict[str, list[Proposal]] | None = None  # plan_reuse(): blocks chosen for the whole outline
    used_origins: set[str] = field(default_factory=set)  # reuse marks already in the other sections

    def library_index(self) -> LibraryIndex | None:
        if self.index is None and self.library:
            self.index = ListIndex(self.library)
        return self.index

    @property
    def deadline(self) -> date | None:
        """The day offers are due: what the company declares must still hold then."""
        try:
            return date.fromisoformat((self.analysis.deadline or "")[:10])
        except ValueError:
            return None

    @property
    def is_works(self) -> bool:
        """Works and services are answered in different words (chantier, réception / démarrage, suivi)."""
        return self.works if self.works is not None else is_works(self.analysis, [])


def _eur(value: float) -> str:
    return euros(value, 0) + " HT"


def _candidates(section: OutlineSection, ctx: DraftContext) -> list[Proposal]:
    index = ctx.library_index()
    if index is None:
        return []
    reqs = [r.text for r in ctx.requirements if r.section_key == section.key]
    return [p for p in propose(section, index, reqs, works=ctx.is_works) if p.score >= THRESHOLD]


def plan_reuse(sections: Sequence[tuple[OutlineSection, int]], ctx: DraftContext) -> None:
    """Choose the library blocks of every section at once: the best (section, block) pairs first, each
    block once in the mémoire, at most `limit` blocks per section (a second one only when it fits
    nearly as well as the first). `sections`: (section, limit)."""
    pairs = [(p.score, i, p) for i, (section, _) in enumerate(sections) for p in _candidates(section, ctx)]
    pairs.sort(key=lambda t: (-t[0], t[1]))
    chosen: dict[int, list[Proposal]] = {}
    for score, i, p in pairs:
        got = chosen.setdefault(i, [])
        if p.ident in ctx.used or p.origin in ctx.used_origins or len(got) >= sections[i][1]:
            continue
        if got and score < got[0].score * 0.75:
            continue  # a distant second says little more
        got.append(p)
        ctx.used.add(p.ident)
    ctx.planned = {sections[i][0].key: got for i, got in chosen.items()}


def _library_for(section: OutlineSection, ctx: DraftContext, limit: int = MAX_BLOCKS) -> list[Proposal]:
    """The best library blocks for the section above the threshold, not used elsewhere in the mémoire."""
    if ctx.planned is not None and section.key in ctx.planned:
        chosen = ctx.planned[section.key]
    else:
        chosen = []
        for p in _candidates(section, ctx):
            if p.ident in ctx.used or p.origin in ctx.used_origins or len(chosen) >= limit:
                continue
            if chosen and p.score < chosen[0].score * 0.75:
                break
            chosen.append(p)
        for p in chosen:
            ctx.used.add(p.ident)
    ctx.reused[section.key] = chosen
    return chosen


def _presentation(ctx: DraftContext, section: OutlineSection) -> list[str]:
    p = ctx.profile
    ident = p.raison_sociale
    if p.nom_commercial and p.nom_commercial != p.raison_sociale:
        ident += f" ({p.nom_commercial})"
    legal = ", ".join(
        x
        for x in (
            p.forme_juridique,
            f"au capital de {p.capital:,.0f} €".replace(",", "\u202f") if p.capital else "",
            f"SIRET {p.siret}",
        )
        if x
    )
    out = [f"{ident}, {legal}. Siège : {p.adresse.one_line() or marker('adresse du siège')}."]
    out.append(p.presentation or marker("présentation de l'entreprise (activité, historique, implantation)"))
    staff = f"{p.effectif} salariés" if p.effectif is not None else marker("effectif moyen annuel")
    out.append(f"Effectif : {staff}.")
    if p.chiffre_affaires:
        out.append("Chiffre d'affaires des derniers exercices :")
        out.append(table_token("chiffre_affaires"))
    else:
        out.append(f"Chiffre d'affaires : {marker('chiffre d’affaires des trois derniers exercices')}.")
    if p.certifications:
        out.append("Qualifications et certifications :")
        out.append(table_token("certifications"))
    if p.references:
        out.append("Références récentes :")
        out.append(table_token("references"))
    return out


def _comprehension(ctx: DraftContext, section: OutlineSection) -> list[str]:
    a = ctx.analysis
    buyer = a.buyer or marker("nom de l'acheteur")
    obj = a.object or marker("objet de la consultation")
    out = [f"La présente consultation, lancée par {buyer}, porte sur : {obj}."]
    if a.lots:
        out.append(
            "Elle est allotie : " + " ; ".join(f"lot {lot.number} — {lot.title}" for lot in a.lots) + "."
        )
    out.append(
        "Notre lecture du dossier de consultation nous conduit à retenir les enjeux suivants : "
        + marker("enjeux propres au site, aux usagers et aux contraintes de l'acheteur")
    )
    return out


def _methodologie(ctx: DraftContext, section: OutlineSection) -> list[str]:
    if not ctx.is_works:
        return [
            "Notre méthode s'organise en trois temps :",
            "- Démarrage : "
            + marker("prise en main de la prestation (transfert de connaissances, inventaire, validations)"),
            "- Exécution : "
            + marker("organisation de la prestation, processus, outils et engagements de service"),
            "- Suivi : " + marker("indicateurs, comités de pilotage et rapports d'activité"),
        ]
    return [
        "Notre méthode d'intervention s'organise en trois temps :",
        "- Préparation : "
        + marker("étapes de préparation (visite, relevés, plans d'exécution, validations)"),
        "- Exécution : " + marker("mode opératoire détaillé, phasage et points d'arrêt"),
        "- Réception : "
        + marker("contrôles avant réception, levée des réserves, dossier des ouvrages exécutés"),
    ]


def _organisation(ctx: DraftContext, section: OutlineSection) -> list[str]:
    p = ctx.profile
    if not p.moyens_humains:
        return [marker("organisation de l'équipe dédiée : rôles, noms, qualifications, expérience")]
    out = ["L'équipe affectée à l'opération est la suivante :", table_token("moyens_humains")]
    named = [m for m in p.moyens_humains if m.name]
    example = f" (par exemple {named[0].name}, {named[0].role})" if named else ""
    out.append(
        "Interlocuteur de l'acheteur : " + marker(f"nom et fonction de l'interlocuteur unique{example}")
    )
    if p.effectif is not None:
        out.append(f"L'entreprise compte {p.effectif} salariés.")
    out.append(
        "Disponibilité et remplacement : "
        + marker("délai de remplacement d'un membre de l'équipe et modalités de continuité")
    )
    return out


def _materiels(ctx: DraftContext, section: OutlineSection) -> list[str]:
    if not ctx.profile.moyens_materiels:
        return [marker("moyens matériels affectés à l'opération")]
    return ["Les moyens matériels mobilisables sont les suivants :", table_token("moyens_materiels")]


_PLANNING_FACT = "planning prévisionnel : durée de préparation, durée d'exécution par phase, jalons"


def _planning(ctx: DraftContext, section: OutlineSection) -> list[str]:
    out = ["Planning prévisionnel, à ajuster avec l'acheteur pendant la période de préparation :"]
    out.append(marker(_PLANNING_FACT))
    out.append("Moyens de respect des délais : " + marker("mesures de suivi et de rattrapage des délais"))
    return out


_ENV_WORDS = ("dechet", "environnement", "nuisance", "carbone", "energ", "durable", "bruit", "poussiere")
_QUALITY_WORDS = ("qualite", "controle", "autocontrole", "conformite", "qse")
_SAFETY_WORDS = ("securite", "hygiene", "prevention", "sante")


def _qse(ctx: DraftContext, section: OutlineSection) -> list[str]:
    """Quality, safety and environment: only the parts the heading asks about (all three otherwise)."""
    heading = fold(f"{section.title} {' '.join(section.prompts)} {section.criterion or ''}")
    parts = [
        name
        for name, words in (
            ("qualite", _QUALITY_WORDS),
            ("securite", _SAFETY_WORDS),
            ("environnement", _ENV_WORDS),
        )
        if any(w in heading for w in words)
    ] or ["qualite", "securite", "environnement"]
    p = ctx.profile
    out: list[str] = []
    valid = [c for c in p.certifications if c.valid_to is None or c.valid_to >= ctx.today]
    if "qualite" in parts:
        if valid:
            out.append("Notre démarche qualité s'appuie sur les certifications et qualifications suivantes :")
            due = ctx.deadline
            for c in valid:
                until = f", valide jusqu'au {c.valid_to:%d/%m/%Y}" if c.valid_to else ""
                body = f" ({c.body})" if c.body else ""
                if due is not None and c.valid_to is not None and c.valid_to < due:
                    # Read by the buyer after the deadline: an expired date must not be what it sees.
                    until += " " + marker(
                        f"date de validité du certificat renouvelé (expire avant le {due:%d/%m/%Y})"
                    )
                out.append(f"- {c.name}{body}{until}")
        else:
            out.append(marker("certifications et démarche qualité de l'entreprise"))
        out.append(
            "Contrôles : " + marker("autocontrôles, fiches de suivi et points d'arrêt propres à l'opération")
        )
    qse_people = [
        m
        for m in p.moyens_humains
        if any(w in fold(m.role) for w in ("qse", "qualite", "securite", "environnement"))
    ]
    for m in qse_people:
        who = f"{m.name}, " if m.name else ""
        out.append(f"{who}{m.role.lower()}, anime la démarche qualité, sécurité et environnement.")
    works = ctx.is_works
    if "securite" in parts:
        out.append(
            "Sécurité et santé : "
            + marker(
                "mesures de prévention propres au chantier (PPSPS, accueil sécurité)"
                if works
                else "mesures de sécurité propres à la prestation"
            )
        )
    if "environnement" in parts:
        # RGE and HQE qualify building work: beside an IT or service criterion they answer nothing.
        env_words = ("14001", "rge", "environnement", "hqe") if works else ("14001", "environnement", "50001")
        env = [c for c in valid if any(w in fold(c.name) for w in env_words)]
        if env:
            out.append("Certifications environnementales : " + ", ".join(c.name for c in env) + ".")
        if works:
            # A question on waste is not answered with noise, and the other way round.
            # The question's own words, not its criterion's ("… et gestion des déchets" over both).
            asked = fold(f"{section.title} {' '.join(section.prompts)}")
            waste = any(w in asked for w in ("dechet", "tri ", "valoris", "recycl"))
            noise = any(w in asked for w in ("nuisance", "bruit", "poussiere", "riverain"))
            if waste or not noise:
                out.append(
                    "Déchets : " + marker("tri sur site, filières de valorisation et traçabilité des déchets")
                )
            if noise or not waste:
                out.append(
                    "Nuisances : "
                    + marker("mesures de réduction du bruit, des poussières et de la gêne aux riverains")
                )
        else:
            out.append(
                "Mesures : "
                + marker("actions environnementales propres à la prestation, avec leurs indicateurs")
            )
    return out


def _references(ctx: DraftContext, section: OutlineSection) -> list[str]:
    p = ctx.profile
    if not p.references:
        return [marker("références de prestations similaires (client, objet, année, montant, contact)")]
    similar = ctx.similar_references or []
    out = []
    if similar:
        names = ", ".join(p.references[i].client for i in similar[:3])
        out.append(
            f"{len(similar)} de nos références portent sur des prestations comparables à l'objet du marché, "
            f"notamment pour {names}."
        )
    out.append("Nos principales références récentes :")
    out.append(table_token("references"))
    return out


def _sav(ctx: DraftContext, section: OutlineSection) -> list[str]:
    guarantee = (
        "organisation du parfait achèvement et du suivi des garanties"
        if ctx.is_works
        else "engagements de niveau de service et suivi des garanties"
    )
    return [
        "Interlocuteur et délais d'intervention : " + marker("délais d'intervention garantis et astreinte"),
        "Garanties : " + marker(guarantee),
    ]


def _risques(ctx: DraftContext, section: OutlineSection) -> list[str]:
    return [
        "Les principaux risques identifiés et les mesures associées :",
        "- " + marker("risque 1 et mesure de prévention"),
        "- " + marker("risque 2 et mesure de prévention"),
        "- " + marker("risque 3 et mesure de prévention"),
    ]


def _generique(ctx: DraftContext, section: OutlineSection) -> list[str]:
    return []


_TEMPLATES = {
    Theme.PRESENTATION: _presentation,
    Theme.COMPREHENSION: _comprehension,
    Theme.METHODOLOGIE: _methodologie,
    Theme.ORGANISATION: _organisation,
    Theme.MOYENS_MATERIELS: _materiels,
    Theme.PLANNING: _planning,
    Theme.QSE: _qse,
    Theme.REFERENCES: _references,
    Theme.SAV: _sav,
    Theme.RISQUES: _risques,
    Theme.GENERIQUE: _generique,
}


# A heading may speak of two themes ("Moyens humains et matériels"): both are drafted.
_COMBINABLE = (Theme.METHODOLOGIE, Theme.ORGANISATION, Theme.MOYENS_MATERIELS)


def draft_section(section: OutlineSection, ctx: DraftContext, children: Sequence[OutlineSection] = ()) -> str:
    """The body of one section (plain-text form of app.drafting.body).

    The profile's facts (templates), the company's past answers that fit (library, marked for review)
    and the CCTP's requirements mapped to the section, each as a commitment with its reference.
    A heading whose sub-sections carry the answer introduces them.
    """
    if children and not section.prompts:
        lines = [f"Cette partie répond à « {section.title} » et se décompose comme suit :"]
        for child in children:
            weight = f" ({child.weight_percent:g} %)" if child.weight_percent is not None else ""
            lines.append(f"- {child.title}{weight}")
        lines.extend(reused_text(p, ctx.analysis) for p in _library_for(section, ctx, limit=1))
        lines.extend(section_commitments(ctx.requirements, section.key))
        return "\n\n".join(lines)
    asked = section.question or section.title
    themes = themes_of(asked, " ".join(section.prompts))
    if themes[0] is not section.theme:
        themes = [section.theme]
    chosen = themes[:1]
    second = themes[1] if len(themes) > 1 else None
    if second and themes[0] in _COMBINABLE and second in _COMBINABLE and second not in ctx.primary_themes:
        chosen.append(second)  # not answered elsewhere in the outline: answered here
    template: list[str] = []
    for theme in chosen:
        template.extend(_TEMPLATES[theme](ctx, section))
    reused = _library_for(section, ctx)
    commitments = section_commitments(ctx.requirements, section.key)
    paragraphs: list[str] = []
    if reused:
        # The past answer says how; the template's empty prompts ("Exécution : [à compléter…]") would only
        # repeat the question. Facts from the profile (tables, certifications, names) stay.
        # The durations of this job's phases are a fact only the company can give: that marker stays.
        kept = [p for p in template if _has_facts(p) or _PLANNING_FACT in p]
        # An introduction ("… s'organise en trois temps :") whose list went goes too.
        paragraphs.extend(
            p
            for i, p in enumerate(kept)
            if not p.endswith(":") or (i + 1 < len(kept) and kept[i + 1].startswith(("- ", "[[TABLE:")))
        )
        paragraphs.extend(reused_text(p, ctx.analysis) for p in reused)
    else:
        paragraphs.extend(template)
    paragraphs.extend(commitments)
    answered = bool(reused or commitments)
    for prompt in section.prompts:
        if not answered:
            paragraphs.append(marker(f"réponse à la question « {prompt.rstrip(' ?')} »"))
    if not answered and not section.prompts and is_question(asked):
        paragraphs.append(marker(f"réponse précise à « {asked.rstrip(' ?')} »"))
    elif (
        not answered
        and not section.prompts
        and section.criterion
        and fold(section.criterion) == fold(section.title)
        and theme_templates_only(chosen)
    ):
        # A scored sub-criterion answered by a general template: what makes it this criterion is missing.
        paragraphs.append(marker(f"ce que l'offre apporte précisément sur « {section.title} »"))
    if not paragraphs:
        paragraphs.append(marker(f"réponse sur « {section.title} »"))
    return "\n\n".join(paragraphs)


def _has_facts(paragraph: str) -> bool:
    """A template paragraph that says something once its markers are taken out (not "Contrôles : [..]")."""
    if paragraph.startswith("[[TABLE:"):
        return True
    if re.match(r"^(?:- )?[^:\[]{0,60}:\s*\[à compléter", paragraph):
        return False  # "Moyens de respect des délais : [à compléter : …]": a label over a blank
    return len(strip_markers(paragraph).replace(":", " ").split()) >= 5


def theme_templates_only(themes: Sequence[Theme]) -> bool:
    """Templates that speak of the method in general, not of the criterion itself."""
    return all(t in (Theme.METHODOLOGIE, Theme.QSE, Theme.GENERIQUE) for t in themes)


def insurance_line(profile: CompanyProfile, kind: InsuranceKind, due: date | None = None) -> str:
    """One line for an insurance of the profile, or a marker; `due`: the deadline it must cover."""
    for a in profile.assurances:
        if a.kind is kind:
            parts = [a.assureur]
            if a.numero_police:
                parts.append(f"police n° {a.numero_police}")
            if a.valid_until:
                parts.append(f"valide jusqu'au {a.valid_until:%d/%m/%Y}")
            line = ", ".join(parts)
            if due is not None and a.valid_until is not None and a.valid_until < due:
                line += " " + marker(f"attestation renouvelée (expire avant le {due:%d/%m/%Y})")
            return line
    return marker("attestation d'assurance " + ("décennale" if kind is InsuranceKind.DECENNALE else "RC pro"))


def eur(value: float) -> str:
    return _eur(value)
