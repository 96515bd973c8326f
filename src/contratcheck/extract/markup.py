"""Markup that is no part of a contract's wording: Markdown emphasis and backslash escapes, HTML
tags and character entities (`&amp;`, `&#xA;`), as converters leave them in text files and even in
Word documents. Removed at extraction, so that rules match the words and excerpts quote them."""

from __future__ import annotations

import html
import re

from contratcheck.text.normalize import clean_tracked
from contratcheck.text.tracked import Tracked

# Emphasis opens before a non-blank and closes after one, never on an escaped star ("\*") nor
# inside a word ("nom_de_fichier", "2*3"); a single star must open on a letter or digit, so that
# footnote calls ("Prix (*) … (*) hors taxes") stay as they are.
_EMPHASIS = (
    re.compile(r"(?<!\\)(\*\*)(?=[^\s*])(.+?)(?<=[^\s\\])\*\*(?!\*)"),
    re.compile(r"(?<![\w\\])(__)(?=[^\s_])(.+?)(?<=[^\s_\\])__(?!\w)"),
    re.compile(r"(?<![\w\\*])(\*)(?=[^\W_])(.+?)(?<=[^\s*\\(])\*(?![\w*])"),
    re.compile(r"(?<![\w\\])(_)(?=[^\W_])(.+?)(?<=[^\s_\\])_(?!\w)"),
)
_STRONG = _EMPHASIS[0]
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown escapes any ASCII punctuation
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG_NAMES = ("a|abbr|b|big|blockquote|br|center|code|del|div|em|font|h[1-6]|hr|i|img|ins|li|mark|ol|p|pre|s|small"
              "|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul")
# Only HTML's own tags: "<Nom du client>" is a blank to fill in, and it is the contract's text.
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BREAKING = re.compile(r"</?(?:br|p|div|li|tr|td|th|hr|h[1-6]|blockquote|table)\b", re.IGNORECASE)


def unmarked(text: Tracked, markdown: bool = True) -> Tracked:
    """One source line without its markup, cleaned (normalize.clean), characters still tracked."""
    if markdown and ("*" in text.text or "_" in text.text or "\\" in text.text):
        text = _markdown(text)
    if "&" in text.text:
        text = text.edit((m.start(), m.end(), decoded) for m in _ENTITY.finditer(text.text)
                         if (decoded := html.unescape(m.group())) != m.group())
    if "<" in text.text:
        text = text.edit((m.start(), m.end(), " " if _BREAKING.match(m.group()) else "") for m in _TAG.finditer(text.text))
    return clean_tracked(text)


def plain(text: str, markdown: bool = False) -> str:
    """`text` without markup, cleaned: for text whose provenance is kept another way."""
    return unmarked(Tracked.line(text, 1), markdown).text if text else text


def _markdown(text: Tracked) -> Tracked:
    for pattern, mark in zip(_EMPHASIS, "*_*_"):
        if mark in text.text:
            text = _unwrapped(text, pattern)
    if "\\" in text.text:
        text = text.edit((m.start(), m.start() + 1, "") for m in _ESCAPE.finditer(text.text))
        # An escaped pair of stars ("\*\*SLA 1\*\*") is a bold its author typed by hand: it goes too.
        text = _unwrapped(text, _STRONG)
    return text


def _unwrapped(text: Tracked, pattern: re.Pattern[str]) -> Tracked:
    """The text with the delimiters of each match of `pattern` dropped, its content kept."""
    def delimiters():
        for match in pattern.finditer(text.text):
            yield match.start(), match.start(2), ""
            yield match.end(2), match.end(), ""

    return text.edit(delimiters())
