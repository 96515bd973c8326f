"""Text edited while keeping track of where each character comes from in its source file.

Extraction drops and changes characters (markup, odd spaces, runs of blanks): a text or Markdown
file's evidence must still name the line and column a reader finds it at in the file itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

Point = tuple[int, int, int]  # (offset in the text, source line, source column), line and column from 1
_OFFSET = itemgetter(0)


@dataclass(frozen=True, slots=True)
class Tracked:
    """A text and its points: from each point's offset on, the text follows its source line
    character by character, up to the next point."""

    text: str
    points: tuple[Point, ...]

    @classmethod
    def line(cls, text: str, number: int, column: int = 1) -> Tracked:
        return cls(text, ((0, number, column),))

    def source(self, offset: int) -> tuple[int, int]:
        """The source line and column of the character at `offset`."""
        points = self.points
        index = 0 if len(points) == 1 else max(0, bisect_right(points, offset, key=_OFFSET) - 1)
        at, line, column = points[index]
        return line, column + offset - at

    def edit(self, changes: Iterable[tuple[int, int, str]]) -> Tracked:
        """The text with each span [start, end) replaced, spans in order and apart. A replacement
        stands where its span began in the source; the characters kept keep their own place."""
        parts: list[str] = []
        points: list[Point] = []
        last = size = 0
        changed = False
        for start, end, new in changes:
            changed = True
            size = self._keep(last, start, size, parts, points)
            if new:
                points.append((size, *self.source(start)))
                parts.append(new)
                size += len(new)
            last = end
        if not changed:
            return self
        self._keep(last, len(self.text), size, parts, points)
        return Tracked("".join(parts), simplified(points))

    def _keep(self, start: int, end: int, size: int, parts: list[str], points: list[Point]) -> int:
        """Copy text[start:end] with the points inside it; the size of the new text after it."""
        if end <= start:
            return size
        points.append((size, *self.source(start)))
        if len(self.points) > 1:  # most lines have one point: nothing inside to carry over
            first = bisect_right(self.points, start, key=_OFFSET)
            last = bisect_left(self.points, end, key=_OFFSET)
            points.extend((size + at - start, line, column) for at, line, column in self.points[first:last])
        parts.append(self.text[start:end])
        return size + end - start


def simplified(points: list[Point]) -> tuple[Point, ...]:
    """The points without those that only go on from the one before (same line, next columns)."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1][0] == point[0]:
            kept.pop()  # two points at one offset: the later one says where that character is
        if kept:
            at, line, column = kept[-1]
            if line == point[1] and column + point[0] - at == point[2]:
                continue
        kept.append(point)
    return tuple(kept)


def joined(pieces: Iterable[Tracked], separator: str = " ") -> Tracked:
    """The pieces' texts joined by `separator`, each keeping its points."""
    texts: list[str] = []
    points: list[Point] = []
    size = 0
    for piece in pieces:
        if texts:
            size += len(separator)
        texts.append(piece.text)
        points.extend((size + at, line, column) for at, line, column in piece.points if at < len(piece.text))
        size += len(piece.text)
    return Tracked(separator.join(texts), simplified(points))
