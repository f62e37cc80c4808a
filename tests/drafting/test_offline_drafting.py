"""Offline drafting: filled only from the profile, markers where facts are missing, nothing invented."""

from __future__ import annotations

import json
import re
from datetime import datetime

from app.drafting.answer import prepare_answer
from app.drafting.body import TABLE_RE
from app.drafting.gonogo import PARIS
from app.drafting.markers import MARKER_RE, find_markers
from app.drafting.tables import expand_tables
from app.drafting.themes import Theme
from tests.drafting.builders import analysis, cadre, cctp, example_profile, rc

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def _numbers(text: str) -> set[str]:
    return {n.replace("\u202f", "").replace(" ", "") for n in re.findall(r"\d[\d\u202f ]*\d|\d", text)}


def test_every_number_written_comes_from_the_profile_or_the_consultation() -> None:
    profile = example_profile()
    a = analysis()
    answer = prepare_answer(a, [rc(), cctp(), cadre()], profile, now=NOW)
    sources = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False) + a.model_dump_json()
    known = _numbers(sources.replace("-", " ")) | _numbers(" ".join(f"{d:%d %m %Y}" for d in [NOW.date()]))
    for s in answer.outline.sections:
        body = MARKER_RE.sub("", answer.bodies[s.key])
        body = body.replace(s.title, "")  # the buyer's own heading, quoted
        text = expand_tables(body, profile)
        for n in _numbers(text.replace("/", " ").replace("-", " ")):
            assert n in known or n in s.key.split("."), f"{n!r} in section {s.key} is not from the profile"


def test_missing_company_facts_become_markers() -> None:
    bare = example_profile(
        moyens_humains=[], moyens_materiels=[], references=[], effectif=None, presentation=""
    )
    answer = prepare_answer(analysis(), [rc(), cctp()], bare, now=NOW)
    presentation = answer.bodies["1"]
    assert "[à compléter : effectif moyen annuel]" in presentation
    assert "[à compléter : présentation de l'entreprise" in presentation
    staff_and_tools = answer.bodies["2.2"]  # "Moyens humains et matériels affectés"
    assert find_markers(staff_and_tools)[:2] == [
        "organisation de l'équipe dédiée : rôles, noms, qualifications, expérience",
        "moyens matériels affectés à l'opération",
    ]
    assert "[[TABLE:" not in staff_and_tools


def test_references_and_moyens_are_those_of_the_profile() -> None:
    profile = example_profile()
    answer = prepare_answer(analysis(), [rc(), cctp()], profile, now=NOW)
    presentation = answer.bodies["1"]
    assert "[[TABLE:references]]" in presentation
    table = expand_tables("[[TABLE:references]]", profile)
    assert [line.split(" ; ")[0] for line in table.splitlines()] == [
        f"Client : {r.client}" for r in profile.references
    ]
    moyens = answer.bodies["2.2"]
    assert [TABLE_RE.match(line).group(1) for line in moyens.splitlines() if TABLE_RE.match(line)] == [
        "moyens_humains",
        "moyens_materiels",
    ]


def test_cadre_questions_are_answered_or_marked() -> None:
    answer = prepare_answer(analysis(), [rc(), cctp(), cadre()], example_profile(), now=NOW)
    waste = answer.bodies["2"]
    assert any("traçabilité des déchets" in m for m in find_markers(waste))
    team = answer.bodies["1.1"]
    assert "Karim Benali" not in team  # named people are in the table, not invented prose
    assert "[[TABLE:moyens_humains]]" in team
    assert answer.outline.find("3").theme is Theme.REFERENCES  # type: ignore[union-attr]
    assert "[[TABLE:references]]" in answer.bodies["3"]


def test_library_blocks_are_used_where_their_theme_fits() -> None:
    from dataclasses import dataclass

    @dataclass
    class Block:
        title: str
        tags: list[str]
        body: str

    blocks = [Block("Tri des déchets sur nos chantiers", ["qse"], "Nous trions sur site en cinq flux.")]
    answer = prepare_answer(analysis(), [rc(), cctp(), cadre()], example_profile(), blocks, now=NOW)
    assert "Nous trions sur site en cinq flux." in answer.bodies["2"]
    assert "Nous trions sur site en cinq flux." not in answer.bodies["1.2"]


def test_a_services_consultation_is_not_answered_in_building_words() -> None:
    from app.domain.analysis import Criterion, SubCriterion

    it = analysis(
        object="Infogérance et assistance de premier niveau des systèmes d'information",
        criteria=[
            Criterion(name="Prix", weight_percent=60),
            Criterion(
                name="Valeur technique",
                weight_percent=30,
                subcriteria=[SubCriterion(name="Organisation et méthodologie", weight_percent=30)],
            ),
            Criterion(
                name="Critère environnemental",
                weight_percent=10,
                subcriteria=[SubCriterion(name="Réduction de l'empreinte carbone", weight_percent=10)],
            ),
        ],
    )
    answer = prepare_answer(it, [rc()], example_profile(), now=NOW)
    assert not answer.works
    bodies = {s.title: answer.bodies[s.key] for s in answer.outline.sections}
    method, carbon = bodies["Organisation et méthodologie"], bodies["Réduction de l'empreinte carbone"]
    for body in (method, carbon):
        for word in ("chantier", "riverains", "ouvrages exécutés", "levée des réserves"):
            assert word not in body
    # The company's RGE (building insulation) is true but says nothing about an IT service's carbon.
    assert "RGE" not in carbon
    # What makes the answer specific to the scored sub-criterion is asked for.
    assert (
        "[à compléter : ce que l'offre apporte précisément sur « Réduction de l'empreinte carbone »]"
        in carbon
    )


def test_works_keep_their_site_vocabulary() -> None:
    answer = prepare_answer(analysis(), [rc(), cctp()], example_profile(), now=NOW)
    assert answer.works
    text = " ".join(answer.bodies.values())
    assert "chantier" in text or "réception" in text.lower()


def test_waste_and_noise_questions_get_their_own_answer() -> None:
    from app.domain.kinds import PieceKind
    from tests.drafting.builders import piece

    text = (
        "CADRE DE RÉPONSE TECHNIQUE\n"
        "1. Démarche environnementale (10 %)\n"
        "1.1 Décrivez le tri des déchets sur site et les filières de valorisation.\n"
        "1.2 Présentez les mesures de réduction des nuisances (bruit, poussière).\n"
    )
    own = piece("Cadre.docx", PieceKind.CADRE_REPONSE, text, paged=False)
    answer = prepare_answer(analysis(), [rc(), cctp(), own], example_profile(), now=NOW)
    by_title = {s.title: answer.bodies[s.key] for s in answer.outline.sections}
    waste = next(b for t, b in by_title.items() if t.startswith("1.1"))
    noise = next(b for t, b in by_title.items() if t.startswith("1.2"))
    assert "Déchets :" in waste and "Nuisances :" not in waste
    assert "Nuisances :" in noise and "Déchets :" not in noise


def test_a_certificate_expiring_before_the_deadline_asks_for_its_renewal() -> None:
    from app.domain.kinds import PieceKind
    from tests.drafting.builders import piece

    quality = piece(
        "Cadre.docx",
        PieceKind.CADRE_REPONSE,
        "1. Qualité (20 %)\n1.1 Décrivez les procédures de contrôle qualité.\n",
        paged=False,
    )
    late = analysis(deadline="2027-07-16T12:00:00+02:00")
    answer = prepare_answer(late, [rc(), cctp(), quality], example_profile(), now=NOW)
    text = "\n".join(answer.bodies.values())
    lines = [x for x in text.splitlines() if x.startswith("- Qualibat 1552")]  # valid until 20/12/2026
    assert lines and all("[à compléter : date de validité du certificat renouvelé" in x for x in lines)
    assert not any("[à compléter" in x for x in text.splitlines() if x.startswith("- RGE Qualibat 7131"))
