"""How near two spans are, in words: what `near`, `words` and `order` measure."""

from __future__ import annotations

from bisect import bisect_left
from typing import Literal

from contratcheck.engine.context import Context

Order = Literal["any", "after"]  # the value or later children must follow the anchor


def distance(ctx: Context, a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of words strictly between two spans (0 when they touch or overlap)."""
    first, second = (a, b) if a[0] <= b[0] else (b, a)
    return ctx.words_between(first[1], second[0])


def close(ctx: Context, hit: tuple[int, int], anchor: tuple[int, int], words: int, order: Order) -> bool:
    """`hit` lies within `words` words of `anchor` (and after it when order is "after")."""
    if order == "after" and hit[0] < anchor[0]:
        return False
    first, second = (hit, anchor) if hit[0] <= anchor[0] else (anchor, hit)
    return ctx.within_words(first[1], second[0], words)


class Anchors:
    """Spans a hit must come close to, sorted so that each hit is compared with two of them only.

    Words between spans grow with the distance, so the nearest anchor starting at or after the hit,
    and among those starting before it the one ending last, are the only ones worth measuring:
    if neither is within reach, none is (in a long clause, a hit used to be measured against
    every anchor of it).
    """

    def __init__(self, spans) -> None:
        self.spans = sorted(spans)
        self.starts = [a[0] for a in self.spans]
        self.latest: list[tuple[int, int]] = []  # latest[i]: the span ending last among spans[:i + 1]
        for span in self.spans:
            self.latest.append(span if not self.latest or span[1] > self.latest[-1][1] else self.latest[-1])

    def reach(self, ctx: Context, hit: tuple[int, int], words: int, order: Order) -> bool:
        """Same as any(close(ctx, hit, a, words, order) for a in spans)."""
        index = bisect_left(self.starts, hit[0])
        if index < len(self.spans) and close(ctx, hit, self.spans[index], words, order):
            return True
        return index > 0 and close(ctx, hit, self.latest[index - 1], words, order)
