"""Escaping of untrusted contract text for every report format: the only place that knows the rules."""

from __future__ import annotations

import html
import re

# C0 controls but \t and \n, DEL, C1 controls, lone surrogates and the two XML 1.0 non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")
_FORMULA_START = ("=", "+", "-", "@", "\t")  # a carriage return is already gone with clean_text


def clean_text(text: str) -> str:
    """The text without control characters, keeping newlines and tabs."""
    return _CONTROL.sub("", text)


def xml_text(text: str) -> str:
    """Text safe in HTML or XML content and in quoted attribute values."""
    return html.escape(clean_text(text), quote=True)


def markdown_text(text: str) -> str:
    """Inline Markdown that renders as the literal text: no link, emphasis, HTML, heading or table cell."""
    return _MARKDOWN.sub(r"\\\1", clean_text(text).replace("\n", " ").replace("\t", " "))


def markdown_code(text: str) -> str:
    """A code span holding the text, fenced with more backticks than any run inside it."""
    text = clean_text(text).replace("\n", " ").replace("\t", " ")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""  # CommonMark strips one such space each side
    return f"{fence}{pad}{text}{pad}{fence}"


def csv_cell(text: str) -> str:
    """A spreadsheet cell that a spreadsheet cannot read as a formula."""
    text = clean_text(text)
    return "'" + text if text.startswith(_FORMULA_START) else text
