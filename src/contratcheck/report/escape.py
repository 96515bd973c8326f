"""Escaping of untrusted contract text for every report format: the only place that knows the rules."""

from __future__ import annotations

import html
import re

# C0 controls but \t and \n, DEL, C1 controls, the marks and overrides that reorder text on screen
# (an ESC sequence or a U+202E in a file name must not drive the terminal or disguise the name),
# lone surrogates (a file name that is not UTF-8) and the two XML 1.0 non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff\ufffe\uffff]")
# What JSON leaves raw with ensure_ascii=False and a terminal would act on: escaped as \uXXXX,
# which JSON readers turn back into the very same character (a file name stays lossless).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")
_FORMULA_START = ("=", "+", "-", "@", "\t")  # a carriage return is already gone with clean_text


def clean_text(text: str) -> str:
    """The text with every control, reordering mark and stray surrogate shown as an escape
    (« \\x1b », « \\u202e », « \\udcff »), keeping newlines and tabs; carriage returns go."""
    return _CONTROL.sub(_shown, text.replace("\r", ""))


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_text(text: str) -> str:
    """JSON text (from json.dumps) with the characters a terminal would act on escaped."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


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
