"""The engine's shortcuts give the answers of a plain evaluation, node by node and check by check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from contratcheck.engine.context import Context
from contratcheck.engine.kinds.required import found
from contratcheck.engine.loader import load_rules
from contratcheck.engine.run import audit_document
from contratcheck.engine.select import candidates, reach
from contratcheck.extract.text import extract_text
from contratcheck.model import Format
from contratcheck.text.assemble import build_document

RULES = load_rules([], default=True)
SAMPLES = sorted((Path(__file__).parents[1] / "samples").glob("*.txt"))
# The pack's own examples hold negated matches ("aucune réversibilité") and near misses side by side.
TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES] + [
    "\n".join(example.text for example in rule.examples) for rule in RULES]


def _nodes(node):
    yield node
    for child in getattr(node, "children", ()) or ((node.child,) if getattr(node, "child", None) else ()):
        yield from _nodes(child)


@pytest.mark.parametrize("text", TEXTS, ids=[p.stem for p in SAMPLES] + [f"exemples-{r.id}" for r in RULES])
def test_existence_checks_agree_with_the_hits_they_stand_for(text):
    document = build_document("x", extract_text(text.encode("utf-8"), Format.TXT))
    compared = 0
    for rule in RULES:
        for check in rule.checks:
            ctx = Context.of(document)
            loose = replace(check, clauses=check.clauses and replace(check.clauses, strict=False))
            plain = any((span := reach(document, ctx, loose.clauses, s)) is not None
                        and check.match.hits(ctx, span.start, span.end) is not None
                        for s in candidates(document, ctx, check.scope, check.match))
            assert found(document, Context.of(document), loose) == plain, rule.id
            for node in _nodes(check.match):
                for segment in document.segments[check.scope]:
                    start, end = segment.span.start, segment.span.end
                    hits = node.hits(ctx, start, end)
                    assert node.some_hit(ctx, start, end) == (hits is not None), (rule.id, node)
                    compared += 1
                    if hits:  # a hit kept: the first one; none kept: nothing passes
                        first = min(hits)
                        assert node.some_hit(ctx, start, end, lambda h, first=first: h == first), (rule.id, node)
                        assert not node.some_hit(ctx, start, end, lambda h: False), (rule.id, node)
    assert compared > 100


RULE = """\
rules:
  - id: clause-test
    severity: mineur
    title: Clause de test
    condition: Pour tester.
    kind: required
    scope: sentence
    match: MATCH
    message: Absente.
    why: Pour tester.
    demand: Une clause.
    question: Laquelle ?
    examples:
      fires: [Rien.]
      passes: [PASSES]
"""
# Built so that each shortcut, taken wrongly, changes the answer on one of the TRICKY texts.
MATCHES = {
    # incomplete: a sentence matches without a positive hit, but only sentences with one are tried
    '{any: [{pattern: licornes?}, {not: {pattern: cheval}}]}': "Une licorne.",
    '{near: [{pattern: licornes?}, {pattern: cheval}, {pattern: poney}], words: 3}': "Une licorne, un cheval, un poney.",
    '{all: [{pattern: licornes?}, {not: {pattern: cheval}}]}': "Une licorne.",
}
TRICKY = ["Aucune licorne ici.", "Une licorne et un cheval, pas de poney.", "Une licorne, un cheval.",
          "Un cheval. Une licorne sans poney.", "Rien."]


@pytest.mark.parametrize("match", sorted(MATCHES))
def test_existence_shortcuts_on_built_matches(tmp_path, match):
    path = tmp_path / "regles.yaml"
    path.write_text(RULE.replace("MATCH", match).replace("PASSES", MATCHES[match]), encoding="utf-8")
    (check,) = load_rules([path], default=False)[0].checks
    for text in TRICKY:
        document = build_document("x", extract_text(text.encode("utf-8"), Format.TXT))
        ctx = Context.of(document)
        plain = any(check.match.hits(ctx, s.span.start, s.span.end) is not None
                    for s in candidates(document, ctx, check.scope, check.match))
        assert found(document, Context.of(document), check) == plain, text
        for node in _nodes(check.match):
            for segment in document.segments["sentence"]:
                hits = node.hits(ctx, segment.span.start, segment.span.end)
                assert node.some_hit(ctx, segment.span.start, segment.span.end) == (hits is not None), text
                assert node.some_hit(ctx, segment.span.start, segment.span.end, lambda h: True) == bool(hits), text


def test_a_pattern_that_may_begin_with_a_space_is_still_found(tmp_path):
    """Its matches begin where no token does: the prefix scan must not be what finds them."""
    path = tmp_path / "regles.yaml"
    path.write_text(RULE.replace("MATCH", '{pattern: "[ ]licorne"}').replace("PASSES", "Une clause « licorne »."),
                    encoding="utf-8")
    rules = load_rules([path], default=False)
    for text, fires in (("Une clause « licorne ».", False), ("Une licorne.", True)):
        document = build_document("x", extract_text(text.encode("utf-8"), Format.TXT))
        assert bool(audit_document(document, rules)) is fires, text
