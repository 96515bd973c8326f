"""Run the examples each rule carries: `fires` texts must trigger it, `passes` texts must not."""

from __future__ import annotations

from dataclasses import dataclass

from contratcheck.engine.ir import Example, Figure, FigureExample, Rule
from contratcheck.engine.run import audit_document
from contratcheck.extract.text import extract_text
from contratcheck.model import Format
from contratcheck.text.assemble import build_document


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: Rule
    example: Example
    reason: str  # French, for `contratcheck rules test`


def _with_dependencies(rule: Rule, by_id: dict[str, Rule]) -> tuple[Rule, ...]:
    chosen, pending = {}, [rule]
    while pending:
        current = pending.pop()
        if current.id not in chosen:
            chosen[current.id] = current
            pending.extend(by_id[other] for other in current.unless if other in by_id)
    return tuple(chosen.values())


def check_example(rule: Rule, example: Example, rules: tuple[Rule, ...]) -> ExampleFailure | None:
    """None when the example behaves as declared, else why not."""
    by_id = {r.id: r for r in rules}
    extraction = extract_text(example.text.encode("utf-8"), Format.TXT)
    document = build_document("<exemple>", extraction)
    findings = [f for f in audit_document(document, _with_dependencies(rule, by_id)) if f.rule == rule.id]
    if example.fires and not findings:
        return ExampleFailure(rule, example, "devrait déclencher la règle mais ne la déclenche pas")
    if not example.fires and findings:
        excerpt = findings[0].evidence[0].excerpt if findings[0].evidence else "(absence)"
        return ExampleFailure(rule, example, f"ne devrait pas déclencher la règle mais la déclenche : {excerpt}")
    if example.fires and example.excerpt:
        excerpts = [e.excerpt for f in findings for e in f.evidence]
        if example.excerpt not in excerpts:
            return ExampleFailure(rule, example, f"extrait attendu « {example.excerpt} », obtenu {excerpts}")
    return None


def check_examples(rules: tuple[Rule, ...]) -> list[ExampleFailure]:
    failures = []
    for rule in rules:
        for example in rule.examples:
            failure = check_example(rule, example, rules)
            if failure:
                failures.append(failure)
    return failures


@dataclass(frozen=True, slots=True)
class FigureFailure:
    figure: Figure
    example: FigureExample
    reason: str  # French, for `contratcheck rules test`


def check_figure_example(figure: Figure, example: FigureExample) -> FigureFailure | None:
    """None when the sheet shows for `example` exactly what it declares."""
    from contratcheck.engine.figures import key_figures
    from contratcheck.text.wording import describe

    extraction = extract_text(example.text.encode("utf-8"), Format.TXT)
    (found,) = key_figures(build_document("<exemple>", extraction), (figure,))
    shown = describe(found)
    if shown == example.shows:
        return None
    return FigureFailure(figure, example, f"la fiche devrait afficher {_quoted(example.shows)}, elle affiche {_quoted(shown)}")


def _quoted(text: str | None) -> str:
    return "rien" if text is None else f"« {text} »"
