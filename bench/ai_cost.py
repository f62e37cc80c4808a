"""Claude token economy: billed-equivalent input tokens of one analysis + the drafting of every
section of the outline, next to the naive way (the whole DCE text in every call, no cache).

billed-equivalent input = uncached input + 1.25 × cache writes + 0.1 × cache reads  (target ≤ 0.20)

The analysis is measured with the hybrid engine (the default: Claude only for what the offline
rules missed) and with the claude engine (every field asked). The requests are the real ones built by the engine and sent through the real `anthropic` SDK to the
loopback Messages API server of the tests (tests/support/fake_claude.py), which accounts usage like
the API: tokens from the request size (≈ 4 characters per token), prompt cache keyed by the prefix
up to the last `cache_control` block. The figure therefore comes from the real request sizes; only
the tokenizer is approximated (the same one for both ways, so the ratio does not depend on it).

DCEs: the example app/resources/example/dce.zip and ../shared/corpus/vsgp when present.
Figures only: nothing is asserted.

Run: .venv/bin/python bench/ai_cost.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

EXAMPLE = REPO / "app" / "resources" / "example" / "dce.zip"
PROFILE = REPO / "app" / "resources" / "example" / "profile.json"
VSGP = REPO.parent / "shared" / "corpus" / "vsgp"
DRAFT_CHARS = 6000  # a drafted section of about a page and a half (output, not billed as input)


def _billed(usages: list[dict[str, int]]) -> float:
    return sum(
        u["input_tokens"] + 1.25 * u["cache_creation_input_tokens"] + 0.1 * u["cache_read_input_tokens"]
        for u in usages
    )


def _extraction_answer(body: dict[str, Any]) -> Any:
    from app.analysis.claude.schema import ClaudeExtraction
    from tests.support.fake_claude import Reply

    empty = {name: ([] if name == "criteria" else None) for name in ClaudeExtraction.model_fields}
    if body.get("stream"):
        return Reply(text="Texte rédigé de la section. " * (DRAFT_CHARS // 28), chunks=20)
    return Reply.structured(empty)


def measure(name: str, path: Path, engine: str) -> dict[str, Any]:
    import anthropic

    from app.analysis.claude import prompts
    from app.analysis.claude.context import DceContext, _candidates
    from app.analysis.claude.extraction import MAX_OUTPUT_TOKENS, output_format_param
    from app.analysis.engines import analyze
    from app.dce.reader import read_dce
    from app.drafting.claude import SectionBrief, build_messages, draft_section, drafting_context
    from app.drafting.outline import build_outline
    from app.drafting.requirements import extract_requirements, map_requirements
    from tests.support.fake_claude import FakeClaude

    pieces = read_dce([path]).pieces
    facts = json.loads(PROFILE.read_text(encoding="utf-8")) if PROFILE.exists() else {}
    out: dict[str, Any] = {"dce": name, "pieces": len(pieces), "pages": sum(len(p.pages) for p in pieces)}
    with FakeClaude() as fake:
        fake.default = _extraction_answer
        os.environ["ANTHROPIC_API_KEY"] = "sk-ant-bench"
        os.environ["ANTHROPIC_BASE_URL"] = fake.url
        client = anthropic.Anthropic(api_key="sk-ant-bench", base_url=fake.url, max_retries=0)

        # --- ours: the analysis, then every section, one shared cached block ---
        analysis = analyze(pieces, engine, usage_sink=lambda _u: None)
        outline = build_outline(analysis, pieces)
        requirements = extract_requirements(pieces)
        map_requirements(requirements, outline)
        sections = outline.sections
        context = drafting_context(pieces)
        briefs = []
        for s in sections:
            reqs = [r.text for r in requirements if r.section_key == s.key]
            brief = SectionBrief(title=s.title, criterion=s.criterion, weight_percent=s.weight_percent)
            briefs.append((brief, reqs))
            draft_section(
                context, brief, facts, reqs, lambda _t: None, client=client, usage_sink=lambda _u: None
            )
        ours = [c.usage for c in fake.message_calls if c.usage]
        analysis_calls = len([c for c in fake.message_calls if not c.body.get("stream")])
        n_ours = len(fake.message_calls)

        # --- naive: the whole DCE in every call (same instructions, no page selection, no cache) ---
        whole = DceContext(tuple(_candidates(pieces)))
        fake.seen.clear()
        client.messages.create(
            model="claude-haiku-4-5",
            max_tokens=MAX_OUTPUT_TOKENS,
            system=prompts.SYSTEM,
            messages=[
                {
                    "role": "user",
                    "content": [
                        whole.block(cache=False),
                        {"type": "text", "text": prompts.EXTRACTION.format(fields="")},
                    ],
                }
            ],
            output_config={"format": output_format_param()},  # type: ignore[typeddict-item]
        )
        for brief, reqs in briefs:
            messages = build_messages(whole, brief, facts, reqs)
            for block in messages[0]["content"]:
                block.pop("cache_control", None)
            client.messages.create(
                model="claude-sonnet-4-6",
                max_tokens=4096,
                system=prompts.SYSTEM,
                messages=messages,  # type: ignore[arg-type]
            )
        naive = [c.usage for c in fake.message_calls if c.usage]

    out.update(
        sections=len(sections),
        outline=outline.source.value,
        analysis_calls=analysis_calls,
        calls=n_ours,
        whole_dce_tokens=whole.estimated_tokens * 3 // 4,  # in the server's 4-chars-per-token unit
        context_pages=len(context.pages),
        ours=_billed(ours),
        naive=_billed(naive),
        cache_write=sum(u["cache_creation_input_tokens"] for u in ours),
        cache_read=sum(u["cache_read_input_tokens"] for u in ours),
    )
    out["ratio"] = out["ours"] / out["naive"] if out["naive"] else float("nan")
    return out


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    with tempfile.TemporaryDirectory() as home:
        os.environ["MAITRE_AO_HOME"] = home  # default settings, no store: the ledger is not touched
        targets = [("exemple (dce.zip)", EXAMPLE)] if EXAMPLE.exists() else []
        if VSGP.is_dir():
            targets.append(("vsgp (corpus)", VSGP))
        if not targets:
            print("Aucun DCE : ni app/resources/example/dce.zip ni ../shared/corpus/vsgp.")
            return 1
        print(
            "Jetons d'entrée facturés (équivalent) = non cachés + 1,25 × écritures cache + 0,1 × lectures cache"
        )
        print(
            f"{'DCE':<20}{'analyse':>8}{'pages':>6}{'DCE entier':>12}{'sections':>9}{'appels':>7}"
            f"{'nous':>10}{'naïf':>11}{'ratio':>8}{'cache +':>9}{'cache lu':>10}"
        )
        for (name, path), engine in [(t, e) for t in targets for e in ("hybrid", "claude")]:
            r = measure(name, path, engine)
            print(
                f"{name:<20}{engine:>8}{r['pages']:>6}{r['whole_dce_tokens']:>12,}{r['sections']:>9}{r['calls']:>7}"
                f"{r['ours']:>10,.0f}{r['naive']:>11,.0f}{r['ratio']:>8.3f}{r['cache_write']:>9,}{r['cache_read']:>10,}"
            )
            print(
                f"    plan : {r['outline']}, appels d'analyse : {r['analysis_calls']}, "
                f"contexte de rédaction : {r['context_pages']} pages, "
                f"objectif ratio ≤ 0,20 : {'atteint' if r['ratio'] <= 0.20 else 'NON atteint'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
