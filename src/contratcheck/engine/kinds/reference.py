"""`reference`: fires on each clause that gives commitments to a document which is not among the
contract's pieces ("les niveaux de service sont définis en annexe 2", no annexe 2 given).

`refers` is a pattern whose group `name` names the document referred to (its kind is read with the
pack's `precedence` pieces: "annexe", "PAS", "BPU"…) and whose optional group `number` numbers it.
The document is present when a piece is of that kind (for an unnumbered one), or when a title of the
set begins with its kind and carries its number: a file name, a heading, the opening of a paragraph
("Annexe 2 – Niveaux de service", "7.4 Annexe 4 : Niveaux de service attendus").
"""

from __future__ import annotations

import re
from pathlib import PurePath

from contratcheck.engine.context import Context
from contratcheck.engine.ir import Check, Precedence, Reference
from contratcheck.engine.kinds import CheckOutcome
from contratcheck.engine.kinds.forbidden import matching
from contratcheck.engine.pieces import folded_regex
from contratcheck.engine.precedence import kind_of, piece_spans
from contratcheck.model import NOT_TERMS, Document, Mode, Party
from contratcheck.text.fold import fold

# A reference counts wherever it binds, except where the text states no term (model.NOT_TERMS).
DEFAULT_CLAUSES = (frozenset(Party), frozenset(Mode) - NOT_TERMS)
KEYS = frozenset({"refers"})
TITLE_LENGTH = 100  # how much of a paragraph's opening is read as a possible title ("ANNEXE III Mesures…")
_LEAD = re.compile(r"[\W_]*(\d+(?:\.\d+)*)?[\W_]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)*|(?<![a-z])[ivxlc]+(?![a-z])")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

Key = tuple[str, str | None]  # (kind id or the name's words, number)


def compile(raw: dict, ctx, line: int | None) -> dict:
    if ctx.precedence is None:
        raise ctx.error("une règle reference lit les pièces du pack : il faut une section « precedence » dans pack.yaml.", line)
    if "refers" not in raw:
        raise ctx.error("une règle reference a besoin de « refers » : un motif avec un groupe (?P<name>…).", line)
    sources = raw["refers"] if isinstance(raw["refers"], list) else [raw["refers"]]
    try:  # one expression each: a group name may appear once per expression
        patterns = tuple(folded_regex(source, "« refers »") for source in sources)
    except ValueError as exc:
        raise ctx.error(str(exc), line) from None
    if not patterns or any("name" not in pattern.groupindex for pattern in patterns):
        raise ctx.error("chaque motif de « refers » doit nommer le document dans un groupe (?P<name>…).", line)
    return {"refers": Reference(patterns), "precedence": ctx.precedence}


def evaluate(document: Document, ctx: Context, check: Check) -> CheckOutcome | None:
    spec, precedence = check.refers, check.precedence
    assert spec is not None and precedence is not None  # compile requires both
    found, named = [], []
    for segment, span, _ in matching(document, ctx, check):  # titles are read only once a clause refers
        present = ctx.memo(("present documents", id(precedence)), lambda: _present(document, ctx, precedence))
        hit = _missing(ctx, spec, precedence, present, span.start, span.end)
        if hit is not None:
            found.append((segment, hit.start()))
            named.append(" ".join(document.original(hit.start("name"), hit.end(_last(hit))).split()))
    if not found:
        return None
    return CheckOutcome(tuple(found), shown=", ".join(f"« {name} »" for name in dict.fromkeys(named)))


def _missing(ctx: Context, spec: Reference, precedence: Precedence, present: set[Key],
             start: int, end: int) -> re.Match[str] | None:
    """The first reference in [start, end) to a document the set does not hold."""
    hits = sorted((hit for pattern in spec.patterns for hit in pattern.finditer(ctx.text, start, end)),
                  key=lambda hit: hit.start())
    return next((hit for hit in hits if not _is_present(_key(precedence, hit), present)), None)


def _last(hit: re.Match[str]) -> str:
    return "number" if hit.groupdict().get("number") else "name"


def _number(raw: str | None) -> str | None:
    """"2", "II", "02" → "2"; "7.4" stays; None stays."""
    if raw is None:
        return None
    if raw.isalpha():
        values = [_ROMAN[c] for c in raw if c in _ROMAN]
        return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))
    return ".".join(str(int(part)) for part in raw.split("."))


def _key(precedence: Precedence, hit: re.Match[str]) -> Key:
    name = hit.group("name")
    kind = next((k.id for k in precedence.kinds if k.text.search(name)), " ".join(re.findall(r"[a-z0-9]+", name)))
    return kind, _number(hit.groupdict().get("number"))


def _is_present(key: Key, present: set[Key]) -> bool:
    return key in present or (key[1] is None and any(kind == key[0] for kind, _ in present))


def _present(document: Document, ctx: Context, precedence: Precedence) -> set[Key]:
    """(kind, number) of every document the set holds: its pieces, and what its titles begin with."""
    found: set[Key] = set()
    for piece, span in piece_spans(document).items():
        kind = kind_of(ctx, precedence, piece, span)
        if kind is not None:
            found.add((kind.id, None))
        found |= _titled(precedence, " ".join(re.split(r"[\W_]+", fold(PurePath(piece).name))), numbered=False)
    titles = {anchor.section for anchor in document.anchors if anchor.section}
    titles |= {document.text[s.span.start:min(s.span.end, s.span.start + TITLE_LENGTH)]
               for s in document.segments["paragraph"]}
    for title in titles:
        found |= _titled(precedence, fold(title))
    return found


def _titled(precedence: Precedence, title: str, numbered: bool = True) -> set[Key]:
    """What a title is, when it begins (after its own number) with a kind: "7.4 annexe 4 : …". A
    file name's leading number only orders the files ("2-annexe-1-inventaire.txt" is annex 1)."""
    lead = _LEAD.match(title)
    start = lead.end() if lead else 0
    for kind in precedence.kinds:
        hit = kind.text.match(title, start)
        if hit is not None:
            numbers = [lead.group(1)] if numbered and lead and lead.group(1) else []
            numbers += _NUMBER.findall(title, hit.end(), hit.end() + 12)[:1]
            return {(kind.id, None)} | {(kind.id, _number(n)) for n in numbers}
    return set()
