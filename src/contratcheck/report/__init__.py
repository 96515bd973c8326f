"""Renderers, as a registry: each output format names the function that renders it.

Three families: an audit report (Report → text, written piece by piece to a stream), a contract
sheet (`fiche`: document results → text) and a comparison grid (`compare`: Comparison → text).
A renderer's module is imported only when its format is used, so start-up stays fast.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, TextIO

from contratcheck.model import DocumentResult, Report
from contratcheck.report.common import PLAIN, View

if TYPE_CHECKING:
    from contratcheck.service.compare import Comparison


class ReportFormat(enum.StrEnum):
    RICH = "rich"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    JUNIT = "junit"
    SARIF = "sarif"
    CSV = "csv"


class SheetFormat(enum.StrEnum):
    RICH = "rich"
    MARKDOWN = "markdown"
    JSON = "json"


class GridFormat(enum.StrEnum):
    RICH = "rich"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Renderer:
    """`function` of contratcheck.report.`module`."""

    module: str
    function: str

    def load(self) -> Callable[..., Any]:
        return getattr(import_module(f"contratcheck.report.{self.module}"), self.function)


REPORTS = {fmt: Renderer(fmt.value, "write") for fmt in ReportFormat}
SHEETS = {fmt: Renderer(fmt.value, "sheets") for fmt in SheetFormat}
GRIDS = {fmt: Renderer(f"grid_{fmt.value}", "render") for fmt in GridFormat}


def write(fmt: ReportFormat, report: Report, out: TextIO, view: View = PLAIN) -> None:
    """Write `report` to `out` a document at a time, as `view` asks."""
    REPORTS[fmt].load()(report, out, view)


def render(fmt: ReportFormat | str, report: Report, **view: Any) -> str:
    buffer = io.StringIO()
    write(ReportFormat(fmt), report, buffer, View(**view))
    return buffer.getvalue()


def sheets(fmt: SheetFormat, results: Sequence[DocumentResult]) -> str:
    return SHEETS[fmt].load()(results)


def grid(fmt: GridFormat, comparison: Comparison, *, color: bool = False) -> str:
    function = GRIDS[fmt].load()
    return function(comparison, color=color) if fmt is GridFormat.RICH else function(comparison)
