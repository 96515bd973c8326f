"""Evaluate rules on a Document and stamp each hit with the rule's metadata to make Findings."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from heapq import merge

from contratcheck.engine.matchers import Context, distance
from contratcheck.model import Check, Document, Evidence, Finding, Rule, Segment
from contratcheck.text.values import Value, describe_hours, to_hours

MAX_EVIDENCE = 8
MAX_EXCERPT = 360


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one check found: matching segments, each with the position of its first hit."""

    segments: tuple[tuple[Segment, int | None], ...]
    value: Value | None = None


def audit_document(document: Document, rules: tuple[Rule, ...], thresholds: Mapping[str, float] | None = None,
                   on_rule: Callable[[str], None] | None = None, ctx: Context | None = None) -> tuple[Finding, ...]:
    """Every finding of `rules` on `document`, most severe first, then in rule order.

    `thresholds` replaces the limit of threshold checks that name a `setting` (project config);
    `on_rule` is told each rule id before it runs (so a time-out can name the rule it stopped);
    `ctx` lets the key figures reuse the leaf hits, values and negation boundaries the rules found.
    """
    ctx = ctx or Context(document.match_text)
    thresholds = thresholds or {}
    fired: dict[str, Finding] = {}
    for rule in _ordered(rules):
        if any(other in fired for other in rule.unless):
            continue
        if on_rule:
            on_rule(rule.id)
        checks = tuple(_configured(check, thresholds) for check in rule.checks)
        outcomes = [o for check in checks if (o := _evaluate(document, ctx, check)) is not None]
        if outcomes:
            fired[rule.id] = _finding(document, rule, checks, outcomes)
    order = {rule.id: index for index, rule in enumerate(rules)}
    return tuple(sorted(fired.values(), key=lambda f: (-f.severity.rank, order[f.rule])))


def _configured(check: Check, thresholds: Mapping[str, float]) -> Check:
    spec = check.value
    if spec is None or spec.setting not in thresholds:
        return check
    amount = thresholds[spec.setting]
    limit = to_hours(amount, spec.unit) if spec.leaf.kind == "duration" else amount
    bounds = {"maximum": limit} if spec.maximum is not None else {"minimum": limit}
    return replace(check, value=replace(spec, label=f"{amount:g} {spec.unit}", **bounds))


def _ordered(rules: tuple[Rule, ...]) -> list[Rule]:
    """Rules named in another rule's `unless` are evaluated before it."""
    by_id = {rule.id: rule for rule in rules}
    done: dict[str, Rule] = {}

    def visit(rule: Rule, path: tuple[str, ...]) -> None:
        if rule.id in done or rule.id in path:
            return
        for other in rule.unless:
            visit(by_id[other], path + (rule.id,))
        done[rule.id] = rule

    for rule in rules:
        visit(rule, ())
    return list(done.values())


def candidates(document: Document, ctx: Context, scope: str, match) -> list[Segment]:
    """Segments of `scope` holding at least one hit of a positive leaf of `match`; only they can match."""
    segments = document.segments[scope]
    chosen: set[int] = set()
    for leaf in match.leaves():  # rules share leaves (named definitions): each is placed once
        chosen |= ctx.memo(("segments", scope, leaf), lambda: _holding(document, ctx, scope, leaf))
    return [segments[i] for i in sorted(chosen)]


def _holding(document: Document, ctx: Context, scope: str, leaf) -> set[int]:
    """Indexes of the segments of `scope` that hold a hit of `leaf`."""
    segments = document.segments[scope]
    starts = ctx.memo(("starts", scope), lambda: [s.span.start for s in segments])
    found = set()
    for span in leaf.spans(ctx):  # a segment's first counted hit places it: the rest need no negation check
        index = bisect_right(starts, span[0]) - 1
        if index >= 0 and index not in found and span[0] < segments[index].span.end and leaf.counts(ctx, span):
            found.add(index)
    return found


def _evaluate(document: Document, ctx: Context, check: Check) -> _Outcome | None:
    if check.kind == "required":
        return None if _found(document, ctx, check) else _Outcome(())
    segments = candidates(document, ctx, check.scope, check.match)
    matched = [(seg, hits) for seg in segments
               if (hits := check.match.hits(ctx, seg.span.start, seg.span.end)) is not None]
    if check.kind == "forbidden":
        return _Outcome(tuple((seg, _first(hits)) for seg, hits in matched)) if matched else None
    return _threshold(ctx, check, matched)


def _found(document: Document, ctx: Context, check: Check) -> bool:
    """Whether a segment of the check's scope matches; one settles it.

    Segments are tried in document order as the leaves' matches reach them, negated ones included:
    a node that never matches where none of its leaves hits (complete) fails in the segments only
    negated matches reach, so none needs its negation checked beforehand (candidates() does).
    """
    match = check.match
    leaves, complete = match.located()
    if not complete:
        return any(match.some_hit(ctx, seg.span.start, seg.span.end)
                   for seg in candidates(document, ctx, check.scope, match))
    segments = document.segments[check.scope]
    starts = ctx.memo(("starts", check.scope), lambda: [s.span.start for s in segments])
    tried = set()
    for start, _ in merge(*(leaf.spans(ctx) for leaf in leaves)):
        index = bisect_right(starts, start) - 1
        if index >= 0 and index not in tried and start < segments[index].span.end:
            tried.add(index)
            if match.some_hit(ctx, segments[index].span.start, segments[index].span.end):
                return True
    return False


def _threshold(ctx: Context, check: Check, matched) -> _Outcome | None:
    spec = check.value
    judged: list[tuple[tuple[Segment, int | None], Value, bool]] = []
    for segment, hits in matched:
        preferred = spec.prefer.hits(ctx, segment.span.start, segment.span.end) if spec.prefer else None
        topic = spec.leaf.near.hits(ctx, segment.span.start, segment.span.end) if spec.leaf.near else None
        values = spec.leaf.values(ctx, segment.span.start, segment.span.end)
        if preferred:
            values = _same_chunk(ctx.text, segment, values, preferred) or values
        value = _pick(ctx, values, preferred or topic or hits)
        if value is not None:
            judged.append(((segment, value.start), value, preferred is not None))
    if spec.prefer is not None and any(p for _, _, p in judged):
        judged = [j for j in judged if j[2]]
    if spec.aggregate != "each" and judged:
        pick = min if spec.aggregate == "min" else max
        judged = [pick(judged, key=lambda j: j[1].amount)]
    breaking = [(seg, v) for seg, v, _ in judged
                if (spec.maximum is not None and v.amount > spec.maximum + 1e-9)
                or (spec.minimum is not None and v.amount < spec.minimum - 1e-9)]
    if not breaking:
        return None
    return _Outcome(tuple(seg for seg, _ in breaking), breaking[0][1])


_CHUNK_BREAK = re.compile(r",\s|;|\set\s|\(|\)|\|")


def _same_chunk(text: str, segment: Segment, values: list[Value], anchors) -> list[Value]:
    """Values in the same enumeration item as an anchor: "4 h pour les critiques, 8 h pour les autres"."""
    breaks = [m.start() for m in _CHUNK_BREAK.finditer(text, segment.span.start, segment.span.end)]
    wanted = {bisect_right(breaks, a[0]) for a in anchors}
    return [v for v in values if bisect_right(breaks, v.start) in wanted]


def _first(hits) -> int | None:
    return min((h[0] for h in hits), default=None)


def _pick(ctx: Context, values: list[Value], anchors) -> Value | None:
    """The value closest to the anchors (what the segment talks about), preferring one after them."""
    if not values:
        return None
    if not anchors:
        return values[0]
    def cost(value: Value) -> tuple[int, int]:
        gaps = [(distance(ctx, (value.start, value.end), a), 0 if value.start >= a[1] else 1) for a in anchors]
        return min(gaps)
    return min(values, key=cost)


def _finding(document: Document, rule: Rule, checks: tuple[Check, ...], outcomes: list[_Outcome]) -> Finding:
    seen, evidence = set(), []
    for outcome in outcomes:
        for segment, hit in outcome.segments:
            item = evidence_for(document, _narrow(document, segment, hit))
            if (item.start, item.end) not in seen and len(evidence) < MAX_EVIDENCE:
                seen.add((item.start, item.end))
                evidence.append(item)
    value = next((o.value for o in outcomes if o.value is not None), None)
    shown = document.original(value.start, value.end) if value else ""
    threshold = next((c.value.label for c in checks if c.value), "")
    message = rule.message.format(value=shown or (describe_hours(value.amount) if value else ""), max=threshold)
    return Finding(rule.id, rule.severity, rule.title, message, tuple(evidence), rule.why, rule.demand,
                   rule.question, rule.alert)


def _narrow(document: Document, segment: Segment, hit: int | None) -> Segment:
    """For clause-, paragraph- or document-wide checks, quote the sentence holding the first hit."""
    if segment.kind in ("sentence", "row") or hit is None:
        return segment
    sentences = document.segments["sentence"]
    index = bisect_right(sentences, hit, key=lambda s: s.span.start) - 1
    return sentences[index] if index >= 0 and hit < sentences[index].span.end else segment


def evidence_for(document: Document, segment: Segment) -> Evidence:
    start, end = segment.origin.start, segment.origin.end
    if end - start > MAX_EXCERPT:
        end = start + MAX_EXCERPT
        while end > start + MAX_EXCERPT - 40 and not document.text[end - 1].isspace():
            end -= 1
    anchor = document.anchor_at(start)
    excerpt = document.text[start:end].strip() + ("…" if end < segment.origin.end else "")
    return Evidence(anchor.page, anchor.section, anchor.paragraph, excerpt, start, end, anchor.page in document.ocr_pages)
