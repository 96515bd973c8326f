"""Evaluate rules on a Document and stamp each hit with the rule's metadata to make Findings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from contratcheck.engine.context import Context
from contratcheck.engine.ir import Check, Kind, Rule
from contratcheck.engine.kinds import CheckOutcome, kind
from contratcheck.engine.select import evidence_for, narrow, stating
from contratcheck.model import Document, Evidence, Finding
from contratcheck.text.values import describe_hours, to_hours
from contratcheck.text.wording import threshold_label

MAX_EVIDENCE = 8


def audit_document(document: Document, rules: tuple[Rule, ...], thresholds: Mapping[str, float] | None = None,
                   on_rule: Callable[[str], None] | None = None, ctx: Context | None = None) -> tuple[Finding, ...]:
    """Every finding of `rules` on `document`, most severe first, then in rule order.

    `thresholds` replaces the limit of threshold checks that name a `setting` (project config);
    `on_rule` is told each rule id before it runs (so a time-out can name the rule it stopped);
    `ctx` lets the key figures reuse the leaf hits, values, clauses and figures the rules read.
    """
    ctx = ctx or Context.of(document)
    thresholds = thresholds or {}
    fired: dict[str, Finding] = {}
    for rule in _ordered(rules):
        if any(other in fired for other in rule.unless):
            continue
        if on_rule:
            on_rule(rule.id)
        checks = tuple(_configured(check, thresholds) for check in rule.checks)
        outcomes = [o for check in checks if (o := kind(check.kind).evaluate(document, ctx, check)) is not None]
        if outcomes:
            finding = _finding(document, rule, checks, outcomes)
            fired[rule.id] = finding if finding.evidence else _with_topic(document, ctx, rule, finding, rules)
    order = {rule.id: index for index, rule in enumerate(rules)}
    return tuple(sorted(fired.values(), key=lambda f: (-f.severity.rank, order[f.rule])))


def _configured(check: Check, thresholds: Mapping[str, float]) -> Check:
    spec = check.value
    if spec is None or spec.setting is None or spec.setting not in thresholds:
        return check
    amount = thresholds[spec.setting]
    limit = to_hours(amount, spec.unit) if spec.kind == "duration" else amount
    label = threshold_label(amount, spec.unit, spec.kind)
    if spec.maximum is not None:
        return replace(check, value=replace(spec, label=label, maximum=limit))
    return replace(check, value=replace(spec, label=label, minimum=limit))


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


def _with_topic(document: Document, ctx: Context, rule: Rule, finding: Finding, rules: tuple[Rule, ...]) -> Finding:
    """A rule that judges a clause the contract has (its first check is no `required` one: "la
    réversibilité est prévue mais vague") and fired for something missing from it quotes that
    clause: the clauses that kept the rules it depends on (`unless`, "reversibilite-absente")
    silent. Reports would otherwise say the topic is absent, the opposite of the finding."""
    if not rule.unless or rule.checks[0].kind is Kind.REQUIRED:
        return finding
    evidence: list[Evidence] = []
    for other in (r for r in rules if r.id in rule.unless):
        for check in (c for c in other.checks if c.kind is Kind.REQUIRED):
            for segment, hit in stating(document, ctx, check):
                item = evidence_for(document, narrow(document, segment, hit))
                if len(evidence) < MAX_EVIDENCE and all((e.start, e.end) != (item.start, item.end) for e in evidence):
                    evidence.append(item)
    return replace(finding, evidence=tuple(evidence))


def _finding(document: Document, rule: Rule, checks: tuple[Check, ...], outcomes: list[CheckOutcome]) -> Finding:
    seen: set[tuple[int, int]] = set()
    evidence: list[Evidence] = []
    quoted = [item for outcome in outcomes for item in outcome.evidence]
    quoted += [evidence_for(document, narrow(document, segment, hit))
               for outcome in outcomes for segment, hit in outcome.segments]
    for item in quoted:
        if (item.start, item.end) not in seen and len(evidence) < MAX_EVIDENCE:
            seen.add((item.start, item.end))
            evidence.append(item)
    value = next((o.value for o in outcomes if o.value is not None), None)
    shown = next((o.shown for o in outcomes if o.shown), None)
    if shown is None and value is not None:
        shown = document.original(value.start, value.end) or describe_hours(value.amount)
    threshold = next((c.value.label for c in checks if c.value), "")
    message = rule.message.format(value=shown or "", max=threshold)
    return Finding(rule.id, rule.severity, rule.title, message, tuple(evidence), rule.why, rule.demand,
                   rule.question, rule.alert)
