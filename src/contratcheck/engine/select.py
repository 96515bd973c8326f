"""Which segments a check or a key figure reads, what it reads of each, and how a finding quotes them.

Shared by every rule kind and by the key figures, so that a finding and the contract sheet read the
same clauses and can never disagree about what the contract says.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import partial
from heapq import merge
from itertools import zip_longest

from contratcheck.clauses.reader import reader_for
from contratcheck.engine.context import Context
from contratcheck.engine.ir import ClauseFilter
from contratcheck.engine.matchers import Matcher
from contratcheck.model import Clause, Document, Evidence, Mode, Party, Segment, Span, TableCell

MAX_EXCERPT = 360
CLAUSE_KINDS = ("sentence", "row", "header")  # segments read as clauses; larger scopes are read whole


def candidates(document: Document, ctx: Context, scope: str, match: Matcher) -> list[Segment]:
    """Segments of `scope` holding at least one hit of a positive leaf of `match`; only they can match."""
    segments = document.segments[scope]
    chosen: set[int] = set()
    for leaf in match.leaves():  # rules share leaves (named definitions): each is placed once
        chosen |= ctx.memo(("segments", scope, leaf), partial(_holding, document, ctx, scope, leaf))
    return [segments[i] for i in sorted(chosen)]


def continued(document: Document, ctx: Context, clauses: ClauseFilter | None, segments):
    """The segments, each followed by the sentence that continues it, if any ("… par rapport au
    temps total prévu." then "99 % 99 % OUI P3"): that sentence holds none of the topic's words, but
    read with the one it continues, it may state the value."""
    if clauses is None or clauses.cues.continues is None:
        yield from segments
        return
    sentences = document.segments["sentence"]
    starts = _starts(document, ctx, "sentence")
    for segment in segments:
        yield segment
        index = bisect_right(starts, segment.span.start)
        if segment.kind == "sentence" and index < len(sentences) and sentences[index].kind == "sentence":
            following = sentences[index]
            text = ctx.text[following.span.start:following.span.end]
            if clauses.cues.continues.search(text) and clause_of(document, ctx, clauses, following).continues == segment.span:
                yield following


def _starts(document: Document, ctx: Context, scope: str) -> list[int]:
    return ctx.memo(("starts", scope), lambda: [s.span.start for s in document.segments[scope]])


def _holding(document: Document, ctx: Context, scope: str, leaf) -> set[int]:
    """Indexes of the segments of `scope` that hold a hit of `leaf`."""
    segments, starts = document.segments[scope], _starts(document, ctx, scope)
    found = set()
    for span in leaf.spans(ctx):  # a segment's first counted hit places it: the rest need no negation check
        index = bisect_right(starts, span[0]) - 1
        if index >= 0 and index not in found and span[0] < segments[index].span.end and leaf.counts(ctx, span):
            found.add(index)
    return found


def tried(document: Document, ctx: Context, scope: str, match):
    """Segments that may match, in document order, as the leaves' matches reach them (negated ones
    included): a node that never matches where none of its leaves hits (complete) fails in the
    segments only negated matches reach, so none needs its negation checked beforehand."""
    leaves, complete = match.located()
    if not complete:
        yield from candidates(document, ctx, scope, match)
        return
    segments, starts = document.segments[scope], _starts(document, ctx, scope)
    seen = set()
    for start, _ in merge(*(leaf.spans(ctx) for leaf in leaves)):
        index = bisect_right(starts, start) - 1
        if index >= 0 and index not in seen and start < segments[index].span.end:
            seen.add(index)
            yield segments[index]


def stating(document: Document, ctx: Context, check) -> Iterator[tuple[Segment, int | None]]:
    """Each segment where `check`'s match holds in a clause that counts for it, with its first hit:
    the clauses that satisfy a `required` check."""
    clauses = check.clauses
    for segment in continued(document, ctx, clauses, tried(document, ctx, check.scope, check.match)):
        span = reach(document, ctx, clauses, segment)
        hits = check.match.hits(ctx, span.start, span.end) if span is not None else None
        if hits is not None:
            yield segment, min((hit[0] for hit in hits), default=None)


def clause_of(document: Document, ctx: Context, clauses: ClauseFilter, segment: Segment) -> Clause:
    return reader_for(document, ctx, clauses.cues).clause(segment)


def reach(document: Document, ctx: Context, clauses: ClauseFilter | None, segment: Segment) -> Span | None:
    """What a check reads of a segment: nothing when its clause does not count for the check (a
    client's duty, an example, an excluded topic, a table's header row…); else the clause, with the
    sentence it continues ("… quatre heures. Le délai ainsi garanti …")."""
    if clauses is None or segment.kind not in CLAUSE_KINDS:
        return segment.span
    if segment.kind == "header":
        return None
    clause = clause_of(document, ctx, clauses, segment)
    return clause.reach if clauses.accepts(clause) else None


def excluded(document: Document, ctx: Context, clauses: ClauseFilter, scope: str, match) -> bool:
    """The topic is put out of the provider's hands somewhere: a clause that matches it is excluded
    ("… pare-feu … sont exclus du présent marché") or binds the client."""
    for segment in candidates(document, ctx, scope, match):
        if segment.kind in ("sentence", "row") and match.some_hit(ctx, segment.span.start, segment.span.end):
            clause = clause_of(document, ctx, clauses, segment)
            if clause.mode is Mode.EXCLU or clause.binds is Party.CLIENT:
                return True
    return False


def narrow(document: Document, segment: Segment, hit: int | None) -> Segment:
    """For clause-, paragraph- or document-wide checks, quote the sentence holding the first hit."""
    if segment.kind in CLAUSE_KINDS or hit is None:
        return segment
    sentences = document.segments["sentence"]
    index = bisect_right(sentences, hit, key=lambda s: s.span.start) - 1
    return sentences[index] if index >= 0 and hit < sentences[index].span.end else segment


def evidence_for(document: Document, segment: Segment, read: Span | None = None) -> Evidence:
    """The excerpt quoting `segment`, from the sentence it continues when `read` starts before it.
    A table row is quoted under its column headers: "4 h | 8 h" alone says nothing."""
    start, end = segment.origin.start, segment.origin.end
    if read is not None and read.start < start and read.end <= len(document.text):
        start = read.start
    cell = (segment.cell or _row_cell(document, segment.origin)) if start == segment.origin.start else None
    verbatim = None
    if cell is not None:
        shown = labelled(cell)
        excerpt, first = _cut(shown, 0, len(shown)), start
        verbatim = _cut(document.text, start, segment.origin.end)  # what the page shows, for annotate
    else:
        end = _cut_at(document.text, start, end)
        excerpt = document.text[start:end].strip() + ("…" if end < segment.origin.end else "")
        first = start + len(document.text[start:end]) - len(document.text[start:end].lstrip())
    anchor = document.anchor_at(first)
    line, column = document.position(first) or (None, None)
    return Evidence(anchor.page, anchor.section or anchor.label, anchor.paragraph, excerpt, start, end,
                    document.read_by_ocr(anchor), line, column, verbatim, anchor.piece)


def labelled(cell: TableCell) -> str:
    """A row as "GTI : 4 h | GTR : 8 h": each cell after its column's header, empty cells left out."""
    return " | ".join(f"{title} : {value}" if title else value
                      for title, value in zip_longest(cell.header, cell.row, fillvalue="") if value)


def _cut(text: str, start: int, end: int) -> str:
    """text[start:end] stripped, cut to MAX_EXCERPT characters and marked "…" when cut."""
    cut = _cut_at(text, start, end)
    return text[start:cut].strip() + ("…" if cut < end else "")


def _cut_at(text: str, start: int, end: int) -> int:
    """Where an excerpt of text[start:end] ends: at most MAX_EXCERPT characters, between words."""
    if end - start <= MAX_EXCERPT:
        return end
    end = start + MAX_EXCERPT
    while end > start + MAX_EXCERPT - 40 and not text[end - 1].isspace():
        end -= 1
    return end


def _row_cell(document: Document, row: Span) -> TableCell | None:
    """The header and cells of the table row at `row`, known from the cell sentences built from it
    (assemble: only rows under a header row have them)."""
    sentences = document.segments["sentence"]
    tail = bisect_left(sentences, len(document.text), key=lambda s: s.span.start)
    index = bisect_left(sentences, row.start, lo=tail, key=lambda s: s.origin.start)
    while index < len(sentences) and sentences[index].origin.start == row.start:
        if sentences[index].cell is not None and sentences[index].origin == row:
            return sentences[index].cell
        index += 1
    return None
