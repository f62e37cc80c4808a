"""A CCTP requirement turned into the company's commitment, phrased from the requirement itself.

"Le titulaire devra tenir le chantier propre." (article 1 du CCTP)
→ "Conformément à l'article 1 du CCTP, nous nous engageons à tenir le chantier propre."

Only grammar changes: the subject becomes "nous", "devra être" becomes "sera", "est obligatoire"
becomes a guarantee. Every figure, product and standard is the requirement's own (nothing is added).
"""

from __future__ import annotations

import re

from app.domain.kinds import PieceKind
from app.drafting.requirements import Requirement

# Pieces whose requirements the company commits to (the cadre de réponse asks questions instead).
COMMITTED_KINDS = (PieceKind.CCTP, PieceKind.CCP)

_SUBJECT = r"(?:le titulaire|l['’]entreprise|le prestataire|l['’]entrepreneur|le candidat|le soumissionnaire)"
_MUST = re.compile(
    rf"\b{_SUBJECT}\s+(?:devra|doit|est tenu de|sera tenu de|a l['’]obligation de)\s+(?:donc\s+|également\s+|"
    r"impérativement\s+|obligatoirement\s+)?",
    re.IGNORECASE,
)
_MUST_BE = re.compile(r"\b(devra|doit|devront|doivent)\s+(?:impérativement\s+|obligatoirement\s+)?être\b")
# "<groupe nominal> est obligatoire[ sur/pour/dans … ]." (the whole clause, from its start)
_MANDATORY = re.compile(
    r"(?P<lead>^|;\s*|,\s*)(?P<np>(?:(?:le|la|les|un|une|l['’])\s*)[^;,]{3,160}?)\s+(?:est|sont)\s+"
    r"(?:obligatoires?|exigée?s?|imposée?s?)(?P<rest>(?:\s+(?:sur|pour|dans|à|au|aux|en|pendant|lors|dès)\b[^;.]*)?)"
    r"(?P<end>\s*(?:[;.]|$))",
    re.IGNORECASE,
)
# "<sujet> devra/devront <infinitif>" → the future tense ("se dérouleront"), the requirement's own verb.
_MUST_VERB = re.compile(
    r"\b(devra|devront|doit|doivent)\s+(?:impérativement\s+|obligatoirement\s+)?(se\s+|s['’])?"
    r"([a-zà-ÿ]{2,}(?:er|ir|re))\b"
)
_IRREGULAR = {
    "avoir": "aur",
    "faire": "fer",
    "aller": "ir",
    "tenir": "tiendr",
    "venir": "viendr",
    "pouvoir": "pourr",
    "voir": "verr",
    "devoir": "devr",
    "recevoir": "recevr",
    "envoyer": "enverr",
}


_NOT_VERBS = frozenset({"notre", "votre", "entre", "autre", "contre", "outre", "premier", "dernier", "cher"})


def _future(infinitive: str, plural: bool) -> str | None:
    if infinitive in _NOT_VERBS:
        return None
    ending = "ont" if plural else "a"
    if infinitive in _IRREGULAR:
        return _IRREGULAR[infinitive] + ending
    if infinitive.endswith(("er", "ir")):
        return infinitive + ending
    if infinitive.endswith("re"):
        return infinitive[:-1] + ending
    return None


_POSSESSIVES = ((r"\bses\b", "nos"), (r"\bson\b", "notre"), (r"\bsa\b", "notre"), (r"\bleurs\b", "nos"))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _ours(text: str) -> str:
    for pattern, repl in _POSSESSIVES:
        text = re.sub(pattern, repl, text)
    return text


def phrase(text: str) -> str:
    """The requirement's sentence in the company's voice (unchanged where no rule applies)."""
    out = text.strip().rstrip(" .;")
    changed = False
    if _MUST.search(out):
        # Only the clause with "le titulaire devra" speaks of the company: possessives change there.
        start = _MUST.search(out)
        assert start is not None
        head, tail = out[: start.start()], out[start.end() :]
        out = f"{head}nous nous engageons à {_ours(tail)}"
        changed = True
    if _MUST_BE.search(out):
        out = _MUST_BE.sub(lambda m: "seront" if m.group(1) in ("devront", "doivent") else "sera", out)
        changed = True

    def future(m: re.Match[str]) -> str:
        verb = _future(m.group(3), m.group(1) in ("devront", "doivent"))
        if verb is None:
            return m.group(0)
        return f"{m.group(2) or ''}{verb}"

    conjugated = _MUST_VERB.sub(future, out)
    if conjugated != out:
        out, changed = conjugated, True

    def mandatory(m: re.Match[str]) -> str:
        return f"{m.group('lead')}nous garantissons {_lower_first(m.group('np'))}{m.group('rest')}{m.group('end')}"

    replaced = _MANDATORY.sub(mandatory, out)
    if replaced != out:
        out, changed = replaced, True
    out = re.sub(r"([.!?]\s+)([a-zà-ÿ])", lambda m: m.group(1) + m.group(2).upper(), out.rstrip(" .;"))
    if not changed:
        return f"nous respecterons cette prescription : « {out} »"
    return _lower_first(out)


def commitment(req: Requirement) -> str:
    """ "Conformément à l'article 4.2 du CCTP, nous nous engageons à …." """
    reference = req.reference
    reference = "au " + reference[3:] if reference.startswith("le ") else "à " + reference
    return f"Conformément {reference}, {phrase(req.text)}."


def section_commitments(requirements: list[Requirement], key: str) -> list[str]:
    return [commitment(r) for r in requirements if r.section_key == key and r.origin in COMMITTED_KINDS]
