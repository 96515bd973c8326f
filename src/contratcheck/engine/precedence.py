"""A contract read as several files: what each piece is, and which prevails when they disagree.

Each piece's kind comes from its file name, else from its first lines (its title). The order comes
from the contract's own clause: after an `order` cue ("par ordre de priorité décroissant :") the
kinds named, in order of first mention, until `words` words later or the end of its piece; or a
`prevails` verb ("les stipulations du CCAP prévalent"), whose subject comes before the other kinds
its sentence names. Of several such clauses, the one that ranks the most pieces of the set is kept.
A single document has no pieces: nothing here applies to it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import PurePath

from contratcheck.engine.context import Context
from contratcheck.engine.ir import PieceKind, Precedence
from contratcheck.engine.select import evidence_for
from contratcheck.model import Document, Evidence, Segment, Span
from contratcheck.text.fold import fold

HERE = "@here"  # the piece that holds the clause ("le présent contrat prévaut sur ses annexes")
_SEPARATORS = re.compile(r"[\W_]+")
_BREAK = re.compile(r"[,;:\n]")  # what ends a subject before its verb


@dataclass(frozen=True, slots=True)
class PieceOrder:
    """The pieces of a set, their kinds, and their ranks in the ordering clause (0 prevails)."""

    pieces: tuple[str, ...]  # in the order the files were given
    kinds: dict[str, PieceKind | None]
    ranks: dict[str, int]  # only the pieces the clause ranks
    clause: Evidence | None  # the ordering clause, quoted with its piece
    named: tuple[str, ...] = ()  # the kinds' labels in the clause's order, for messages

    def name(self, piece: str) -> str:
        """"CCAP, ccap.pdf", or the file name alone when its kind is unknown."""
        kind = self.kinds.get(piece)
        file = PurePath(piece).name
        return f"{kind.label}, {file}" if kind else file

    def prevailing(self, pieces: set[str]) -> str | None:
        """The piece that prevails among `pieces`, when the clause ranks them all; else None."""
        if not pieces or any(p not in self.ranks for p in pieces):
            return None
        return min(pieces, key=lambda p: self.ranks[p])

    def reason(self, winner: str, others: set[str]) -> str:
        """French: "la pièce « CCAP, ccap.pdf » prévaut sur « CCTP, cctp.pdf », d'après la clause qui
        ordonne les pièces (2 - Pièces contractuelles, ccap.pdf)"."""
        where = [self.clause.section, PurePath(self.clause.path).name if self.clause.path else None] if self.clause else []
        losers = ", ".join(f"« {self.name(p)} »" for p in sorted(others, key=lambda p: self.ranks.get(p, 0)))
        said = f" ({', '.join(w for w in where if w)})" if any(where) else ""
        return f"la pièce « {self.name(winner)} » prévaut sur {losers}, d'après la clause qui ordonne les pièces{said}"


def piece_spans(document: Document) -> dict[str, Span]:
    """Where each piece's text lies, in the order given; empty for a single document."""
    starts: dict[str, int] = {}
    for anchor in document.anchors:
        if anchor.piece is not None and anchor.piece not in starts:
            starts[anchor.piece] = anchor.start
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start - 1 for _, start in ordered[1:]] + [len(document.text)]
    return {piece: Span(start, max(start, end)) for (piece, start), end in zip(ordered, ends)}


def piece_order(document: Document, ctx: Context, spec: Precedence) -> PieceOrder | None:
    """The pieces of a contract in several files and their order; None for a single document."""
    return ctx.memo(("piece order", id(spec)), lambda: _order(document, ctx, spec))


def _order(document: Document, ctx: Context, spec: Precedence) -> PieceOrder | None:
    spans = piece_spans(document)
    if len(spans) < 2:
        return None
    kinds = {piece: kind_of(ctx, spec, piece, span) for piece, span in spans.items()}
    best: PieceOrder | None = None
    for tokens, segment, piece in _clauses(document, ctx, spec):
        ranks = _ranks(tokens, kinds, piece)
        if len(ranks) >= 2 and (best is None or len(ranks) > len(best.ranks)):
            labels = {kind.id: kind.label for kind in spec.kinds}
            named = tuple(labels.get(token, PurePath(piece).name) for token in tokens)
            best = PieceOrder(tuple(spans), kinds, ranks, evidence_for(document, segment), named)
    return best or PieceOrder(tuple(spans), kinds, {}, None)


def kind_of(ctx: Context, spec: Precedence, piece: str, span: Span) -> PieceKind | None:
    """What a piece is: the kind its file name names first, else the one its title names first."""
    name = " ".join(_SEPARATORS.split(fold(PurePath(piece).name)))
    found = _first(((kind, kind.file) for kind in spec.kinds), name, 0, len(name))
    if found is None:
        found = _first(((kind, kind.text) for kind in spec.kinds), ctx.text, span.start, min(span.end, span.start + spec.title))
    return found


def _first(patterns, text: str, start: int, end: int) -> PieceKind | None:
    hits = [(hit.start(), index, kind) for index, (kind, pattern) in enumerate(patterns)
            if (hit := pattern.search(text, start, end))]
    return min(hits, key=lambda h: (h[0], h[1]))[2] if hits else None


def _mentions(spec: Precedence, text: str, start: int, end: int) -> list[str]:
    """The kinds (and HERE) named in text[start:end], in order of first mention."""
    hits = [(hit.start(), kind.id) for kind in spec.kinds for hit in kind.text.finditer(text, start, end)]
    if spec.here is not None:
        hits += [(hit.start(), HERE) for hit in spec.here.finditer(text, start, end)]
    return list(dict.fromkeys(token for _, token in sorted(hits)))


def _clauses(document: Document, ctx: Context, spec: Precedence):
    """(kinds by decreasing priority, the sentence that orders them, its piece) for each clause."""
    end = len(document.text)
    listed: set[int] = set()
    if spec.order is not None:
        for cue in spec.order.finditer(ctx.text, 0, end):
            sentence = _sentence(document, cue.start())
            if sentence is None or sentence.span.start in listed:
                continue
            listed.add(sentence.span.start)
            stop = min(_words_after(ctx.text, cue.end(), spec.words), _piece_end(document, cue.start()))
            yield _mentions(spec, ctx.text, cue.end(), stop), sentence, document.anchor_at(cue.start()).piece
    if spec.prevails is not None:
        for verb in spec.prevails.finditer(ctx.text, 0, end):
            sentence = _sentence(document, verb.start())
            if sentence is None or sentence.span.start in listed:
                continue
            start = sentence.span.start
            breaks = [m.end() for m in _BREAK.finditer(ctx.text, start, verb.start())]
            subject = _mentions(spec, ctx.text, breaks[-1] if breaks else start, verb.start())
            rest = _mentions(spec, ctx.text, start, sentence.span.end)
            tokens = list(dict.fromkeys(subject + rest))
            yield tokens, sentence, document.anchor_at(verb.start()).piece


def _ranks(tokens: list[str], kinds: dict[str, PieceKind | None], holder: str | None) -> dict[str, int]:
    ranks = {}
    for piece, kind in kinds.items():
        places = [i for i, token in enumerate(tokens) if (kind and token == kind.id) or (token == HERE and piece == holder)]
        if places:
            ranks[piece] = min(places)
    return ranks


def _sentence(document: Document, offset: int) -> Segment | None:
    sentences = document.segments["sentence"]
    index = bisect_right(sentences, offset, key=lambda s: s.span.start) - 1
    return sentences[index] if index >= 0 and offset < sentences[index].span.end else None


def _piece_end(document: Document, offset: int) -> int:
    """Where the piece holding `offset` ends: a list of pieces never runs into the next file. (Not
    the section's end: the items of a numbered list are often read as titles.)"""
    piece = document.anchor_at(offset).piece
    later = (a.start for a in document.anchors if a.start > offset and a.piece != piece)
    return next(later, len(document.text))


def _words_after(text: str, start: int, words: int) -> int:
    """Where the `words`-th word after `start` ends (or the text, when fewer words follow)."""
    ends = [m.end() for _, m in zip(range(words), re.finditer(r"\S+", text[start:start + words * 40]))]
    return start + ends[-1] if ends else start
