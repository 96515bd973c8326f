"""The PDF reader's shortcuts read what the plain way reads: a page prepared whole gives, line for
line, the words of each line prepared alone, and each line is looked up in the page's fonts as before."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from contratcheck.extract.pdf import _text_lines, _undoubled
from contratcheck.text.normalize import prepare

_BREAK = re.compile(r"[\r\n]")
_LINE = re.compile(r"(?:[^\r\n\ufffe\x02]|[\ufffe\x02]\s*)+")
_SOFT_HYPHEN = re.compile(r"[\ufffe\x02]\s*")
# What PDFium's page texts hold: words, accents composed or not, ligatures, odd spaces, invisible
# characters, soft-hyphen markers ("\x02", "\ufffe") and line breaks.
_PIECES = st.sampled_from(["Article", "le", " ", "é", "e\u0301", "\u0301", "\ufb01", "\u00a0", "\t", "\x0c", "\u200b",
                           "\ufeff", "\u00ad", "\x02", "\ufffe", "\r\n", "\n", "\r", ".", "5", "AArr", "\u1100\u1161"])


class _Fonts:
    """Answers each line looked up with its rank, and keeps the lines asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, bool]] = []

    def of(self, line: str, marked: bool = True) -> tuple[float, float]:
        self.asked.append((line, marked))
        return float(len(self.asked)), 400.0


def _line_by_line(text: str, fonts: _Fonts) -> list[tuple[str, tuple[float, float]]]:
    """The reading before pages were prepared whole: each line cut out of the page, then prepared."""
    marked = "\ufffe" in text or "\x02" in text
    lines = []
    for found in _LINE.finditer(text):
        words = prepare(_SOFT_HYPHEN.sub("", found.group())).split()
        if words:
            lines.append((" ".join(_undoubled(words)), fonts.of(found.group(), marked)))
    return lines


@settings(max_examples=500)
@given(st.lists(_PIECES, max_size=30).map("".join))
@example("Article 1\r\n\u200b\r\nLe Presta\x02\r\ntaire intervient.\r\n")
def test_a_page_prepared_whole_reads_as_line_by_line(text):
    whole, alone = _Fonts(), _Fonts()
    assert [(line.text, line.font) for line in _text_lines(text, 1, whole)] == _line_by_line(text, alone)
    assert whole.asked == alone.asked


@given(st.text())
def test_prepare_keeps_every_line_break_where_it_is(text):
    """What reading a page whole relies on, for any text: no character composes, vanishes or
    appears across a line break."""
    assert [line.split() for line in _BREAK.split(prepare(text))] == [prepare(line).split() for line in _BREAK.split(text)]
