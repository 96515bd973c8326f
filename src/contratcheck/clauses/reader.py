"""Read a document's sentences, list items and table cells as clauses: who each binds, in which mode.

Clauses are read lazily, when a rule or a key figure first looks at a segment, and kept: most of a
contract is never asked about. Everything French comes from the pack's cues (clauses.cues).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from contratcheck.clauses.cues import ClauseCues, ModeCues, search
from contratcheck.model import Clause, Document, Mode, Party, Segment, Span
from contratcheck.text.fold import fold
from contratcheck.text.segment import is_list_item

ALIAS_REACH = 30_000  # characters where a contract names its parties ("ci-après dénommée « X »")
SUBJECT_REACH = 90  # characters after the opening where the subject is looked for
LEAD_REACH = 300  # characters of a lead-in read for its cues ("Sont exclus du périmètre :")
_LEGAL_FORM = re.compile(r"\b(?:SAS|SASU|SARL|EURL|SA|SNC|SCOP|GIE)\b")
# A mention right after one of these is a complement ("fournit au Client"), not the subject.
_PREPOSITION = re.compile(r"(?:^|[^a-z'])(?:a|au|aux|de|du|des|d'|par|pour|aupres|envers|chez|avec|entre|sur|"
                          r"contre|vers|sans|selon|que|qu'|dont|l'un|l'une)\s*(?:le\s|la\s|l'|les\s)?$")
_LEAD_IN = re.compile(r"[^.;!?]*$")  # the last sentence of a paragraph
_DETERMINER = re.compile(r"(?:^|[^a-z'])(?:le|la|les|l'|ce|cet|cette|ces|chaque|tout|toute|son|sa|ses|leur|notre|votre)\s*$")
_CAPITAL_TITLE = re.compile(r"^\d+(?:\.\d+)*\.?\s+[A-ZÀ-Ý]{3,}")
_PRONOUN = re.compile(r"(?:il|elle|ils|elles)\s")
_LABEL = re.compile(r"^\W*(?:[a-z0-9'-]+\W+){0,5}?[a-z0-9')\]]\s*:\s+")  # "Intervention technique : …"
_HEADING_NUMBER = re.compile(r"^\W*(?:(?:article|chapitre|titre|partie|section|annexe)\s+)?(\d{1,3}(?:\.\d{1,3})*)(?![\d,])")


class ClauseReader:
    def __init__(self, document: Document, cues: ClauseCues) -> None:
        self.document = document
        self.cues = cues
        self.text = document.match_text
        self._clauses: dict[int, Clause] = {}
        self._paragraphs = document.segments["paragraph"]
        self._paragraph_starts = [p.span.start for p in self._paragraphs]
        self._rows = {s.span.start for s in document.segments["row"]}
        self._sentences = document.segments["sentence"]
        self._sentence_starts = [s.span.start for s in self._sentences]
        self._shared: dict[object, frozenset[int]] = {}  # modes of lead-ins and sections, read once
        self._outline: tuple[list[int], list[tuple[str, ...]]] | None = None
        mention, agents = _party_patterns(cues, _aliases(document, cues))
        self._mention = mention
        self._agents = agents

    def clause(self, segment: Segment) -> Clause:
        found = self._clauses.get(segment.span.start)
        if found is None:
            found = self._clauses[segment.span.start] = self._read(segment)
        return found

    def _read(self, segment: Segment) -> Clause:
        own = self.text[segment.span.start:segment.span.end]
        block, index = self._block(segment)
        mode = self._mode(own, block, index, segment)
        return Clause(segment.span, self._binds(own), mode, self._continued(segment, own, index), segment.cell)

    # ------------------------------------------------------------------ mode

    def _mode(self, own: str, block: Span, index: int, segment: Segment) -> Mode:
        """The first mode, in the pack's order, whose cues the clause, its block, its lead-in or its
        section carries, unless its block cancels it. Lead-ins and sections are shared by many
        clauses: their modes are read once."""
        block_text = None
        lead = self._memo(("lead", index), lambda: self._modes_in("heads", self._lead(index)))
        section = self._section_modes(self._headings(segment))
        for position, cues in enumerate(self.cues.modes):
            if not (_found(cues.clause, own) or position in lead or position in section):
                if cues.block is None:
                    continue
                block_text = self.text[block.start:block.end] if block_text is None else block_text
                if not _found(cues.block, block_text):
                    continue
            if cues.unless:
                block_text = self.text[block.start:block.end] if block_text is None else block_text
                if _found(cues.unless, own) or _found(cues.unless, block_text):
                    continue
            return cues.mode
        return Mode.ENGAGEMENT

    def _memo(self, key, compute):
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]

    def _modes_in(self, reach: str, text: str) -> frozenset[int]:
        """Positions of the modes whose `reach` cues (heads, sections) the text carries."""
        if not text:
            return frozenset()
        return frozenset(i for i, cues in enumerate(self.cues.modes)
                         if _found(getattr(cues, reach), text))

    def _section_modes(self, chain: tuple[str, ...]) -> frozenset[int]:
        """The modes a heading chain gives, nearest heading first. A heading that carries a mode's
        `unless` cues stops it there: « 1.2 Objet du marché » is no description because « 1 Contexte »
        is one."""
        return self._memo(("section", chain), lambda: frozenset(
            position for position, cues in enumerate(self.cues.modes) if _inherited(cues, chain)))

    def _headings(self, segment: Segment) -> tuple[str, ...]:
        """The segment's section heading and the headings it is numbered under ("2.2.6.2" is read
        under "2.2.6", "2.2" and "2"), folded: a chapter that describes the buyer's system or lists
        exclusions speaks for all its sub-sections."""
        if self._outline is None:
            self._outline = _outline(self.document)
        starts, chains = self._outline
        index = bisect_right(starts, segment.origin.start) - 1
        return chains[index] if index >= 0 else ()

    def _block(self, segment: Segment) -> tuple[Span, int]:
        """The paragraph, list item or table row holding the segment (a cell's row), and its index."""
        index = max(0, bisect_right(self._paragraph_starts, segment.origin.start) - 1)
        return self._paragraphs[index].span, index

    def _itemised(self, index: int) -> bool:
        """A table row or a list item; not a numbered title in capitals ("2. OPTIONS PROPOSÉES")."""
        span = self._paragraphs[index].span
        if span.start in self._rows:
            return True
        head = self.document.text[span.start:span.start + 24]
        return is_list_item(head) and not _CAPITAL_TITLE.match(head)

    def _lead(self, index: int) -> str:
        """The lead-in of the list or table the block belongs to: the last sentence of the paragraph
        before its first item or row ("Sont exclus du périmètre :"), "" when it is no item."""
        if not self._itemised(index):
            return ""
        while index > 0 and self._itemised(index - 1):
            index -= 1
        if index == 0:
            return ""
        span = self._paragraphs[index - 1].span
        text = self.text[max(span.start, span.end - LEAD_REACH):span.end]
        last = _LEAD_IN.search(text.rstrip(" .;"))
        return last.group() if last else text

    # ------------------------------------------------------------------ party

    def _binds(self, own: str) -> Party:
        """The subject, when it is a named party that is bound (not "le Client bénéficie"); else a
        party named as agent or bearer ("à la charge du Client", "assurée par le Prestataire")."""
        text = _LABEL.sub("", own.lstrip(" -•*–>\"'(0123456789.)"), count=1)
        opening = self.cues.opening.match(text) if self.cues.opening else None
        if opening:
            text = text[opening.end():]
            if _PRONOUN.match(text):  # "Lorsque le Client …, il s'engage à …": the opening's subject
                party = self._subject(opening.group())
                if party is not None:
                    return party
        party = self._subject(text)
        if party is not None:
            return party
        agent = search(self._agents, own)
        if agent is None:
            return Party.INCONNU
        return _named_party(agent)

    def _subject(self, text: str) -> Party | None:
        """The party named as subject near the start of `text`, unless it only benefits; None when none."""
        for match in self._mention.finditer(text, 0, SUBJECT_REACH):
            if _PREPOSITION.search(text, 0, match.start()):
                continue
            if match.start() > 1 and not _DETERMINER.search(text, 0, match.start()):
                continue  # "les postes client", "une application client" name a thing, not a party
            after = text[match.end():match.end() + 40].lstrip(" ,")
            if self.cues.beneficiary and self.cues.beneficiary.match(after):
                return None
            return _named_party(match)
        return None

    # ------------------------------------------------------------------ links

    def _continued(self, segment: Segment, own: str, index: int) -> Span | None:
        """The sentence this one refers back to, in the same paragraph or the one before it."""
        if self.cues.continues is None or segment.cell or not self.cues.continues.search(own):
            return None
        position = bisect_right(self._sentence_starts, segment.span.start) - 1
        if position <= 0 or segment.span.start >= len(self.document.text):
            return None
        previous = self._sentences[position - 1]
        first = self._paragraphs[max(0, index - 1)].span.start
        return previous.span if previous.span.start >= first and previous.kind == "sentence" else None


def _inherited(cues: ModeCues, chain: tuple[str, ...]) -> bool:
    """Whether a heading of the chain carries the mode's section cues before one cancels it."""
    for heading in chain:
        if _found(cues.unless, heading):
            return False
        if _found(cues.sections, heading):
            return True
    return False


def _folded(heading: str | None) -> str:
    return fold(heading).strip() if heading else ""


def _outline(document: Document) -> tuple[list[int], list[tuple[str, ...]]]:
    """Where each section starts, and its heading chain: its own folded heading, then the last
    headings numbered as its parents within the same piece, nearest first; an unnumbered heading
    is read under the last numbered one."""
    starts: list[int] = []
    chains: list[tuple[str, ...]] = []
    numbered: dict[str, str] = {}
    last: tuple[str, ...] = ()  # the chain of the last numbered heading
    section, piece = None, None
    for anchor in document.anchors:
        if anchor.section == section and anchor.piece == piece:
            continue
        if anchor.piece != piece:
            numbered.clear()
            last = ()
        section, piece = anchor.section, anchor.piece
        heading = _folded(section)
        number = _HEADING_NUMBER.match(heading)
        if number:
            parts = number.group(1).split(".")
            parents = [numbered[key] for depth in range(len(parts) - 1, 0, -1)
                       if (key := ".".join(parts[:depth])) in numbered]
            numbered[number.group(1)] = heading
            chain = last = (heading, *parents)
        else:  # an unnumbered title inside a numbered chapter (« ➔ La collecte radio »)
            chain = (heading, *last) if heading else ()
        starts.append(anchor.start)
        chains.append(chain)
    return starts, chains


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return search(pattern, text) is not None


def _aliases(document: Document, cues: ClauseCues) -> list[str]:
    """Company names a contract gives itself ("ci-après dénommée « ISVTEC »"), read as the provider's
    when no party name covers them: written in capitals or with a legal form, unlike a defined term
    (« Conditions Générales », « Service »)."""
    if cues.alias is None:
        return []
    found = []
    for match in cues.alias.finditer(document.match_text, 0, ALIAS_REACH):
        original = document.text[match.start("name"):match.end("name")]
        name = match.group("name").strip()
        known = any(re.fullmatch(pattern, name) for _, pattern in cues.names)
        if name and not known and (original.isupper() or _LEGAL_FORM.search(original)):
            found.append(re.escape(name))
    return found


def _named_party(match: re.Match[str]) -> Party:
    """The party whose named group matched ("client", or "client_3" in agent form 3); a pack's
    own patterns may hold unnamed groups of their own, which are not parties."""
    name = next(name for name, value in match.groupdict().items() if value is not None)
    return Party(name.split("_")[0])


def _party_patterns(cues: ClauseCues, aliases: list[str]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    names: dict[Party, list[str]] = {}
    for party, pattern in cues.names:
        names.setdefault(party, []).append(pattern)
    if aliases:
        names.setdefault(Party.PRESTATAIRE, []).extend(aliases)
    alternation = {party: "|".join(f"(?:{p})" for p in patterns) for party, patterns in names.items()}
    mention = re.compile("|".join(f"(?<![a-z])(?P<{party.value}>{words})(?![a-z])" for party, words in alternation.items()))
    # One search for every agent form and party: group "client_3" is the client named by form 3.
    def named(form: int) -> str:
        return "(?:" + "|".join(f"(?P<{party.value}_{form}>{words})" for party, words in alternation.items()) + ")(?![a-z])"

    forms = [f"(?:{text.replace('{party}', named(i))})" for i, text in enumerate(cues.agent)]
    return mention, re.compile("|".join(forms)) if forms else None


def names_a_party(text: str, cues: ClauseCues) -> bool:
    """Whether folded `text` names any party the cues know (a contract does; a README does not)."""
    return _party_patterns(cues, [])[0].search(text) is not None


def reader_for(document: Document, ctx, cues: ClauseCues) -> ClauseReader:
    """The document's clause reader for a pack's cues, made once per document (engine Context)."""
    return ctx.memo(("clauses", id(cues)), lambda: ClauseReader(document, cues))

