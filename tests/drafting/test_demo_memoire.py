"""`maitre-ao demo` (example company, example library, example DCE, offline): the issue's figures,
measured on the memoire.docx the buyer would receive."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli.main import run
from app.dce.reader import read_dce
from app.drafting.markers import MARKER_RE
from app.drafting.text import fold
from app.services import library
from app.services.consultations import run_engine
from app.services.profile import read_profile_file
from tests.export.helpers import open_docx, plain

EXAMPLE = Path(__file__).resolve().parents[2] / "app" / "resources" / "example"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo")
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert run(["demo", "--out", str(out)]) == 0
    return out / "memoire.docx", buf.getvalue()


def _sections(path: Path) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs and table rows) from the first heading of level 1 or 2."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = open_docx(path)
    out: list[tuple[str, list[str]]] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, doc)
            name = para.style.name if para.style is not None else ""
            text = plain(para.text).strip()
            if name in ("Heading 1", "Heading 2") and text:
                out.append((text, []))
            elif out and text:
                out[-1][1].append(text)
        elif tag == "tbl" and out:
            out[-1][1].extend(" | ".join(c.text for c in r.cells) for r in Table(child, doc).rows)
    return out


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ö«])", MARKER_RE.sub(" ", text))
    return [p.strip() for p in parts if len(p.split()) >= 5]


def test_every_section_has_substantive_text(demo: tuple[Path, str]) -> None:
    sections = _sections(demo[0])
    assert len(sections) == 10
    for heading, paragraphs in sections:
        body = [p for p in paragraphs if not p.startswith("Question de l'acheteur")]
        words = len(_WORD.findall(MARKER_RE.sub(" ", "\n".join(body))))
        assert words >= 120, (heading, words)


def test_cctp_requirements_appear_as_commitments_in_their_section(demo: tuple[Path, str]) -> None:
    from app.services import proposals

    outcome = read_dce([EXAMPLE / "dce.zip"], workers=1)
    analysis = run_engine(outcome.pieces, "offline")
    answer = proposals.answer_offline(
        analysis, outcome.pieces, read_profile_file(EXAMPLE / "profile.json"), library.example_blocks()
    )
    by_heading = dict(_sections(demo[0]))
    keys = {s.key: h for s, h in zip(answer.outline.sections, by_heading, strict=True)}
    cctp = [r for r in answer.requirements if r.origin.value == "CCTP" and r.section_key]
    assert len(cctp) >= 10
    found = 0
    for req in cctp:
        text = "\n".join(by_heading[keys[req.section_key]])  # type: ignore[index]
        lines = [x for x in text.split("\n") if x.startswith("Conformément à ")]
        # Phrased from the requirement itself: its key words are in the commitment.
        found += any(sum(fold(t)[:5] in fold(x) for t in req.terms) >= 0.6 * len(req.terms) for x in lines)
    assert found / len(cctp) >= 0.8
    # A lighting level is a prescription on the work, not a staffing question.
    lux = next(r for r in cctp if "500 lux" in r.text)
    assert "quipe" not in (lux.section_title or "")
    assert "Conformément à l'article 1 du CCTP (lot n° 3), nous garantissons le niveau d'éclairement" in (
        "\n".join(by_heading[keys[lux.section_key]])  # type: ignore[index]
    )


def test_no_sentence_twice_no_non_couverte_and_only_real_gaps(demo: tuple[Path, str]) -> None:
    path, printed = demo
    seen: dict[str, str] = {}
    for heading, paragraphs in _sections(path):
        for p in paragraphs:
            if " | " in p:
                continue
            for s in _sentences(p):
                key = re.sub(r"\W+", " ", fold(s)).strip()
                assert key not in seen, f"« {s} » in {seen.get(key)} and {heading}"
                seen[key] = heading
    doc = open_docx(path)
    everything = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "non couverte" not in everything and "Matrice de conformité" not in everything
    assert "[[" not in everything  # no table token nor reuse mark reaches the buyer
    markers = MARKER_RE.findall(everything)
    # Only facts the company has not given: this job's planning, certificates renewed before the deadline.
    for m in markers:
        assert m.startswith(("planning prévisionnel", "date de validité du certificat renouvelé")), m
    assert f"Éléments [à compléter] : {len(markers)}" in printed
    assert "Phrases répétées : 0" in printed and "« non couverte » dans le mémoire : 0" in printed


def test_the_buyer_questions_become_statement_titles(demo: tuple[Path, str]) -> None:
    headings = [h for h, _ in _sections(demo[0])]
    assert "1.1 Organisation du chantier en site occupé et mesures de sécurité des usagers" in headings
    assert not any(re.search(r"\b(?:Décrivez|Présentez|Listez)\b", h) for h in headings)


def _sources() -> str:
    """Everything the mémoire may take a figure or a name from: profile, library, DCE."""
    texts = [json.dumps(json.loads((EXAMPLE / "profile.json").read_text("utf-8")), ensure_ascii=False)]
    texts += [f"{b.title}\n{b.body}\n{b.source_file}" for b in library.example_blocks()]
    outcome = read_dce([EXAMPLE / "dce.zip"], workers=1)
    texts += [page.text for piece in outcome.pieces for page in piece.pages]
    return plain("\n".join(texts))


# Words a French sentence capitalises that are not names (headings, labels, sentence starts).
_COMMON = {"Question", "Conformément", "Page", "Mémoire", "Sommaire"}


def test_nothing_is_invented(demo: tuple[Path, str]) -> None:
    sources = _sources()
    folded_sources = re.sub(r"\s+", " ", fold(sources))
    digits_sources = re.sub(r"\D", "", sources)
    doc = open_docx(demo[0])
    texts = [plain(p.text) for p in doc.paragraphs] + [
        plain(c.text) for t in doc.tables for r in t.rows for c in r.cells
    ]
    body = "\n".join(MARKER_RE.sub(" ", t) for t in texts)
    numbers = set(re.findall(r"\d+(?:[ ,.]\d+)*", body))
    missing = [n for n in numbers if re.sub(r"\D", "", n) not in digits_sources]
    assert not missing, missing
    names: set[str] = set()
    for line in body.split("\n"):
        for sentence in re.split(r"(?<=[.:;!?|(«])\s+", line):
            words = sentence.split()
            for w in words[1:]:  # a sentence's first word is capitalised anyway
                w = w.strip(",.;:()«»\"'’")
                if w[:1].isupper() and w not in _COMMON and len(w) > 2:
                    names.add(w)
    missing = sorted(n for n in names if fold(n) not in folded_sources)
    assert not missing, missing
