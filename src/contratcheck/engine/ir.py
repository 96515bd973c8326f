"""The rules' intermediate form: what a pack's YAML compiles to, and what the engine evaluates.

Stage data (documents, findings) lives in `model`; run options in `service.options`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Literal

from contratcheck.clauses.cues import ClauseCues
from contratcheck.engine.matchers import Any, Matcher, ValueKind, ValueLeaf
from contratcheck.model import Clause, Mode, Party, Severity


class Kind(enum.StrEnum):
    """What a check asks of the contract."""

    REQUIRED = "required"  # some segment must match
    FORBIDDEN = "forbidden"  # no segment may match
    THRESHOLD = "threshold"  # the value read must stay within bounds
    CONTRADICTION = "contradiction"  # two pieces of a contract must not state different values of a figure
    REFERENCE = "reference"  # a document the contract refers to must be among its pieces


class Scope(enum.StrEnum):
    """The segments a check reads, one at a time."""

    SENTENCE = "sentence"
    ROW = "row"
    PARAGRAPH = "paragraph"
    CLAUSE = "clause"
    DOCUMENT = "document"


Aggregate = Literal["each", "min", "max"]
# The match of a threshold that judges a key figure until the loader gives it the figure's own.
FIGURE_MATCH = Any(())


@dataclass(frozen=True, slots=True)
class ClauseFilter:
    """Which clauses a check reads: the parties bound and the modes that count."""

    binds: frozenset[Party]
    modes: frozenset[Mode]
    cues: ClauseCues  # the clause cues of the rule's pack
    strict: bool = False  # once the topic is excluded somewhere, only the provider's own words count

    def accepts(self, clause: Clause) -> bool:
        return clause.binds in self.binds and clause.mode in self.modes


@dataclass(frozen=True, slots=True)
class Example:
    """Text a rule must fire on (`fires`) or stay silent on; `excerpt` pins the evidence."""

    text: str  # a contract in several files: each piece's text after its name, for display
    fires: bool
    excerpt: str | None = None
    line: int | None = None
    pieces: tuple[tuple[str, str], ...] = ()  # a contract in several files: (file name, text) of each


@dataclass(frozen=True, slots=True)
class ValueSpec:
    """How a threshold check reads and judges a value: the value a key figure shows (`figure`), or
    the typed value of each matching segment (`leaf`)."""

    leaf: ValueLeaf | None  # None when the value is a key figure's
    maximum: float | None  # in hours (durations) or percent
    minimum: float | None
    label: str  # the threshold as written in the rule, for messages: "4 heures"
    prefer: Matcher | None = None  # segments matching this (e.g. critical level) take precedence
    aggregate: Aggregate = "each"  # judge every segment, or only the smallest / largest value
    unit: str = "heures"  # the unit `max`/`min` are written in
    setting: str | None = None  # a configuration threshold that replaces `max`/`min` when set
    figure: Figure | str | None = None  # the Figure (its id until the pack is loaded) whose value is judged
    kind: ValueKind = "duration"


@dataclass(frozen=True, slots=True)
class PieceKind:
    """A kind of contract piece (CCAP, annexe, conditions générales…) and how it is named."""

    id: str
    label: str  # as a reader names it: "CCAP", "conditions générales"
    text: re.Pattern[str]  # a mention in the contract's (folded) text
    file: re.Pattern[str]  # in a file name, folded, its separators read as spaces


@dataclass(frozen=True, slots=True)
class Precedence:
    """A pack's `precedence`: the kinds of pieces, and the wording of the clause that orders them."""

    kinds: tuple[PieceKind, ...]
    order: re.Pattern[str] | None  # after it, the pieces are named by decreasing priority
    prevails: re.Pattern[str] | None  # its subject prevails over the other pieces its sentence names
    here: re.Pattern[str] | None  # names the piece that holds the clause ("le présent contrat")
    words: int = 160  # how far after an `order` cue its list may run
    title: int = 400  # how many characters open a piece (its title), read to know its kind


@dataclass(frozen=True, slots=True)
class Reference:
    """How a `reference` check reads a reference: patterns whose group `name` (and optional
    `number`) names the document referred to."""

    patterns: tuple[re.Pattern[str], ...]
    title_words: int = 8  # a title is that document when it names it within its first words


@dataclass(frozen=True, slots=True)
class Check:
    kind: Kind
    scope: Scope
    match: Matcher
    value: ValueSpec | None = None
    clauses: ClauseFilter | None = None  # None: every segment counts (packs without clause cues)
    figures: tuple[Figure | str, ...] = ()  # contradiction: the key figures compared (ids until loaded)
    refers: Reference | None = None  # reference: what names the document referred to
    precedence: Precedence | None = None  # contradiction, reference: the pack's pieces and their order


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    condition: str  # when it fires, in plain French
    message: str
    why: str
    demand: str
    question: str
    alert: str | None
    references: tuple[str, ...]
    checks: tuple[Check, ...]
    unless: tuple[str, ...]
    examples: tuple[Example, ...]
    file: str
    line: int
    tags: tuple[str, ...] = ()  # labels for reports (SARIF); the engine gives them no meaning


@dataclass(frozen=True, slots=True)
class Choice:
    """One possible answer of a choice figure ("24 h/24, 7 j/7", "heures ouvrées"…)."""

    label: str
    match: Matcher


@dataclass(frozen=True, slots=True)
class FigureExample:
    """Text and what the figure must show for it (None: the figure stays empty)."""

    text: str
    shows: str | None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """How a pack reads one key figure: where it is stated, and its value or its choices."""

    id: str
    label: str
    scope: Scope
    match: Matcher  # segments that state the figure
    value: ValueLeaf | None  # None for a choice figure
    choices: tuple[Choice, ...]  # best first
    levels: tuple[Choice, ...]  # priority levels a value can be tied to, most severe first
    caveat: Choice | None  # segments matching it hold values that are not a firm commitment
    better: Literal["lower", "higher"] | None  # which value is better when comparing offers
    weight: float  # importance in the comparison grid
    note: str | None  # yearly-downtime: explain a percentage of availability
    examples: tuple[FigureExample, ...]
    file: str
    line: int
    exclude: Matcher | None = None  # a value right after one of its hits is not read
    exclude_words: int = 4
    pick: Literal["all", "best"] = "all"  # a choice figure shows every answer found, or only the best one
    bounds: tuple[float | None, float | None] = (None, None)  # plausible amounts (hours, %, EUR); others are not read
    clauses: ClauseFilter | None = None  # the clauses it reads; values from an option come after the rest
    axis: Matcher | None = None  # a table column whose header names the levels
    precedence: Precedence | None = None  # a contract in several files: which piece's value applies
