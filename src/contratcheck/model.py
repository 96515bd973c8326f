"""The frozen data types passed between the pipeline stages; no logic beyond small properties."""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "row"]
# "header" is a table's header row; the others are the scopes a rule can read.
SegmentKind = Literal["sentence", "row", "header", "paragraph", "clause", "document"]


class Severity(enum.Enum):
    """Finding severity; members are declared from the most to the least severe."""

    CRITIQUE = "critique"
    MAJEUR = "majeur"
    MINEUR = "mineur"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for critique down to 0 for info: higher is more severe."""
        return len(Severity) - 1 - list(Severity).index(self)


class Format(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    MD = "md"


class Status(enum.StrEnum):
    OK = "ok"
    NO_TEXT = "no-text"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why a document could not be audited: a stable code and a French sentence for the user."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) in a document's normalized text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of extracted text before assembly: a heading, a paragraph or a table row."""

    kind: BlockKind
    text: str
    cells: tuple[str, ...] = ()
    page: int | None = None
    table: int | None = None  # rows of one table share this number
    breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a later page begins
    # Text and Markdown: (offset in text, line, column) from which the text follows that source line
    # character by character; one wherever extraction dropped or changed characters (both from 1).
    lines: tuple[tuple[int, int, int], ...] = ()
    piece: str | None = None  # a contract read as several files: the file this block comes from


@dataclass(frozen=True, slots=True)
class PieceReading:
    """The pages of one file of a contract read as several that were not read, or read by OCR."""

    path: str  # as displayed
    unread_pages: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """What an extractor returns: ordered blocks plus the page count (PDF only)."""

    format: Format
    blocks: tuple[Block, ...]
    pages: int | None = None
    unread_pages: tuple[int, ...] = ()  # PDF pages that are images and were not read
    ocr_pages: tuple[int, ...] = ()  # PDF pages whose text comes from OCR
    readings: tuple[PieceReading, ...] = ()  # a contract read as several files: those pages, per file


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that protect a batch from hostile or absurd files; defaults never bother a contract."""

    max_megabytes: float = 100.0
    max_pages: int = 2000
    timeout: float = 120.0  # seconds per document
    max_zip_entries: int = 5000
    max_zip_megabytes: float = 500.0  # uncompressed
    memory_megabytes: float = 1024.0  # what one worker may hold; beyond, the document is reported `memory`
    max_render_megapixels: float = 40.0  # a page rendered for OCR or annotation (A4 at 300 dpi: 8.7)



@dataclass(frozen=True, slots=True)
class Anchor:
    """Provenance of the text from `start` up to the next anchor."""

    start: int
    page: int | None
    section: str | None
    paragraph: int
    line: int | None = None  # text and Markdown: the source line and column of the character at `start`
    column: int | None = None
    label: str | None = None  # no heading before: the last numbered title ("Article 5", "article 4.2")
    piece: str | None = None  # a contract read as several files: the file (as displayed) of this text


@dataclass(frozen=True, slots=True)
class TableCell:
    """Where a cell sentence comes from: the table's header row, the cell's row and its column."""

    header: tuple[str, ...]
    row: tuple[str, ...]
    column: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A unit the rules look at. `span` indexes the match text; `origin` the document text.

    They differ only for synthetic sentences built from table cells and their column headers,
    which live after the document text in the match text and point back to their row.
    """

    kind: SegmentKind
    span: Span
    origin: Span
    cell: TableCell | None = None  # set on the sentence built from one table cell


@dataclass(frozen=True, slots=True)
class Document:
    """An extracted contract: normalized text, its folded twin for matching, and provenance."""

    path: str
    format: Format
    text: str
    pages: int | None
    anchors: tuple[Anchor, ...]
    tail: str  # synthetic cell sentences, appended after `text` (offsets continue past its end)
    match_text: str  # fold(text + tail): same offsets, lower case, no accents
    segments: dict[str, tuple[Segment, ...]] = field(hash=False, compare=False)
    unread_pages: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    readings: tuple[PieceReading, ...] = ()

    def original(self, start: int, end: int) -> str:
        """The unfolded characters of a match-text range."""
        if end <= len(self.text):
            return self.text[start:end]
        return (self.text + self.tail)[start:end]

    def read_by_ocr(self, anchor: Anchor) -> bool:
        """Whether the text at this anchor comes from OCR (its file's page, in a set)."""
        if anchor.piece is None:
            return anchor.page in self.ocr_pages
        return any(r.path == anchor.piece and anchor.page in r.ocr_pages for r in self.readings)

    def anchor_at(self, offset: int) -> Anchor:
        index = bisect_right(self.anchors, offset, key=lambda anchor: anchor.start)
        return self.anchors[max(0, index - 1)]

    def position(self, offset: int) -> tuple[int, int] | None:
        """The source line and column of a text offset (text and Markdown files), None elsewhere."""
        anchor = self.anchor_at(offset)
        if anchor.line is None or anchor.column is None:
            return None
        return anchor.line, anchor.column + offset - anchor.start

    def heading_at(self, offset: int) -> str | None:
        """The heading of the section holding a match-text offset (a table cell's: its row's)."""
        if offset >= len(self.text):
            sentences = self.segments["sentence"]
            index = bisect_right(sentences, offset, key=lambda segment: segment.span.start) - 1
            offset = sentences[index].origin.start if index >= 0 else 0
        return self.anchor_at(offset).section


class Party(enum.StrEnum):
    """Who a clause binds: its grammatical subject or agent, read with the contract's own party names."""

    PRESTATAIRE = "prestataire"
    CLIENT = "client"
    TIERS = "tiers"
    INCONNU = "inconnu"  # no party named: a service description, a table row


class Mode(enum.StrEnum):
    """How a clause states what it says; only `engagement` is a commitment in force."""

    ENGAGEMENT = "engagement"
    EXCLU = "exclu"  # put out of scope: "sont exclus", "hors périmètre :"
    OPTION = "option"  # an option not shown taken: "en option", "Option Premium"
    EXEMPLE = "exemple"  # an example or a worked calculation
    DEFINITION = "definition"  # a glossary entry
    A_DEFINIR = "a-definir"  # left for later: "seront définis", "à convenir"
    CITATION = "citation"  # a question or someone else's words
    CONDITION = "condition"  # force majeure, the cases where commitments do not apply
    DESCRIPTIF = "descriptif"  # describes what exists (the buyer's system, its context): binds no one


# Modes in which a text states no term of the contract: a dangerous wording there is no danger.
NOT_TERMS = frozenset({Mode.EXEMPLE, Mode.CITATION, Mode.DEFINITION, Mode.CONDITION, Mode.DESCRIPTIF})


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence, list item or table cell read as a statement: who it binds and in which mode.

    `continues` is the span of the sentence it refers back to ("le délai ainsi garanti"), which a
    rule reads with it; `cell` places a table cell under its row and column headers.
    """

    span: Span
    binds: Party
    mode: Mode
    continues: Span | None = None
    cell: TableCell | None = None

    @property
    def reach(self) -> Span:
        """The text a rule reads for this clause: the clause, and the sentence it continues."""
        return Span(self.continues.start, self.span.end) if self.continues else self.span



@dataclass(frozen=True, slots=True)
class Evidence:
    """An excerpt justifying a finding, with where it stands in the document."""

    page: int | None
    section: str | None
    paragraph: int | None
    excerpt: str
    start: int
    end: int
    ocr: bool = False  # the excerpt was read by OCR from an image: check it against the page
    line: int | None = None  # text and Markdown files: the excerpt's first line in the file (from 1)
    column: int | None = None  # and its column in that line (from 1)
    verbatim: str | None = None  # the document's own words when the excerpt adds to them (a row's headers)
    path: str | None = None  # a contract read as several files: the file that holds the excerpt


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    title: str
    message: str
    evidence: tuple[Evidence, ...]
    why: str
    demand: str
    question: str
    alert: str | None = None


@dataclass(frozen=True, slots=True)
class FigureValue:
    """One value of a key figure as the contract states it, with the excerpt that states it."""

    text: str  # as shown to the user: "4 heures ouvrées", "99,9 %", "1 180 € HT", "heures ouvrées"
    amount: float | None  # hours (durations), percent, euros; None for a choice
    level: str | None  # priority level it applies to ("critique"…), None when not tied to one
    evidence: Evidence
    caveat: str | None = None  # why the value is not a firm commitment ("indicatif, non garanti")
    rank: int | None = None  # for choices: position in the figure's list, 0 is the best
    # A contract read as several files whose pieces state different values: True for the value of
    # the piece that prevails, False for the values of the pieces it prevails over (each piece's
    # first firm value); None otherwise (a single file, pieces that agree, or a contract that does
    # not say which piece prevails).
    prevails: bool | None = None


@dataclass(frozen=True, slots=True)
class Prevalence:
    """Why one piece's value applies when the pieces of a contract disagree on a key figure."""

    piece: str | None  # the file (as displayed) whose value applies; None: the contract does not say
    reason: str  # French: "le CCAP prévaut sur le CCTP (ordre des pièces, 2 - Pièces contractuelles)"
    clause: Evidence | None = None  # the clause that orders the pieces, quoted with its piece


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A figure of the contract sheet (GTR, availability, price…): what the contract says, if anything."""

    id: str
    label: str
    values: tuple[FigureValue, ...]  # empty: the contract does not state it
    unit: str | None = None  # of the amounts: "heures", "%", "EUR"; None for a choice
    note: str | None = None  # what the figure means, e.g. the yearly downtime an availability allows
    prevailing: Prevalence | None = None  # pieces of a contract stating different values: which applies

    def amount(self, level: str | None = None) -> float | None:
        """The firm amount for `level` (or the first level stated), None when there is none."""
        firm = [v for v in self.values if v.amount is not None and v.caveat is None]
        chosen = [v for v in firm if v.level == level] if level else firm
        return chosen[0].amount if chosen else None


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding left out of the verdict on purpose: by the ignore file or by the baseline."""

    rule: str
    severity: Severity
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """The batch unit: a broken file is a result with status `error`, never an exception."""

    path: str
    format: Format | None
    status: Status
    error: ErrorInfo | None
    pages: int | None
    findings: tuple[Finding, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    warnings: tuple[str, ...] = ()  # French sentences: pages not read, OCR used, not French…
    key_figures: tuple[KeyFigure, ...] = ()
    # A contract read as several files (a set): each file's own reading result, without findings;
    # `path` is then the contract's name.
    pieces: tuple[DocumentResult, ...] = ()

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports say about a rule that may not have fired (JUnit test cases, SARIF rules)."""

    id: str
    severity: Severity
    title: str
    condition: str
    why: str
    demand: str
    question: str = ""  # what to ask the provider
    alert: str | None = None  # the answer that should worry the client
    tags: tuple[str, ...] = ()  # the rule's own labels, from its pack ("security"…)


@dataclass(frozen=True, slots=True)
class Report:
    tool_version: str
    documents: Sequence[DocumentResult]  # a tuple, or results read back from disk one at a time (results.py)
    rules: tuple[RuleInfo, ...] = ()  # every rule that ran, in pack order
    notices: tuple[str, ...] = ()  # French sentences for the user, e.g. expired suppressions
