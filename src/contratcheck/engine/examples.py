"""Run the examples each rule carries: `fires` texts must trigger it, `passes` texts must not."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context

from contratcheck.engine.ir import Example, Figure, FigureExample, Rule
from contratcheck.engine.run import audit_document
from contratcheck.extract.text import extract_text
from contratcheck.model import Document, Format
from contratcheck.text.assemble import build_document, combine


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
    document = example_document(example)
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


def example_document(example: Example) -> Document:
    """The example's text as a document; a contract in several files when it has pieces."""
    if example.pieces:
        return build_document("<exemple>", combine([(name, extract_text(text.encode("utf-8"), Format.TXT))
                                                    for name, text in example.pieces]))
    return build_document("<exemple>", extract_text(example.text.encode("utf-8"), Format.TXT))


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


# --- Every example of a pack under a time limit ------------------------------------------------------

Job = tuple[bool, int, int]  # (a figure's example?, index of the rule or figure, index of the example)
_CRASHED = "le contrôle de cet exemple s'est arrêté anormalement (mémoire épuisée ?)"


def check_all(rules: tuple[Rule, ...], figures: tuple[Figure, ...],
              timeout: float | None) -> tuple[list[ExampleFailure], list[FigureFailure]]:
    """Every example of `rules` and `figures`, each checked in a child process given `timeout`
    seconds (None: no limit), as an audit gives each document: a rule whose expression hangs on
    its own example is reported as failing it, and the other examples are still checked."""
    jobs = [(False, i, j) for i, rule in enumerate(rules) for j in range(len(rule.examples))]
    jobs += [(True, i, j) for i, figure in enumerate(figures) for j in range(len(figure.examples))]
    reasons = _reasons(jobs, rules, figures, timeout)
    failures, figure_failures = [], []
    for (is_figure, owner, number), reason in zip(jobs, reasons):
        if reason is None:
            continue
        if is_figure:
            figure_failures.append(FigureFailure(figures[owner], figures[owner].examples[number], reason))
        else:
            failures.append(ExampleFailure(rules[owner], rules[owner].examples[number], reason))
    return failures, figure_failures


def _reason(job: Job, rules: tuple[Rule, ...], figures: tuple[Figure, ...]) -> str | None:
    is_figure, owner, number = job
    if is_figure:
        failed: ExampleFailure | FigureFailure | None = check_figure_example(figures[owner], figures[owner].examples[number])
    else:
        failed = check_example(rules[owner], rules[owner].examples[number], rules)
    return failed.reason if failed else None


def _serve(connection, rules: tuple[Rule, ...], figures: tuple[Figure, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while (job := connection.recv()) is not None:
        connection.send(_reason(job, rules, figures))


def _overrun(timeout: float) -> str:
    return (f"pas de verdict au bout de {timeout:g} s : une expression de la règle est sans doute trop lente sur ce "
            "texte (limite réglable : timeout dans la configuration, ou --timeout)")


def _reasons(jobs: list[Job], rules: tuple[Rule, ...], figures: tuple[Figure, ...],
             timeout: float | None) -> list[str | None]:
    """Each job's failure reason, from one child process at a time: one that overruns is killed
    (a catastrophic regular expression cannot be interrupted otherwise) and a new one goes on."""
    context = get_context("fork" if "fork" in get_all_start_methods() else "spawn")
    reasons: list[str | None] = []
    worker, busy = None, False
    try:
        for job in jobs:
            if worker is None:
                worker = _Worker(context, rules, figures)
            worker.connection.send(job)
            busy = True
            if worker.connection.poll(timeout or None):
                try:
                    reasons.append(worker.connection.recv())
                    busy = False
                    continue
                except (EOFError, OSError):
                    reasons.append(_CRASHED)
            else:
                reasons.append(_overrun(timeout or 0))
            worker.stop()
            worker = None
    finally:
        if worker is not None:
            worker.stop(finished=not busy)
    return reasons


class _Worker:
    def __init__(self, context, rules: tuple[Rule, ...], figures: tuple[Figure, ...]) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, rules, figures), daemon=True)
        self.process.start()
        child.close()

    def stop(self, finished: bool = False) -> None:
        if finished:  # idle: let it end on its own
            try:
                self.connection.send(None)
                self.process.join(2)
            except OSError:
                pass
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()
