"""How a run reads and judges documents: the options the batch hands each worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from contratcheck.engine.ir import Figure
from contratcheck.model import Limits
from contratcheck.service.globs import matches


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """Everything about how to read and judge a document, shared by the batch and its workers."""

    thresholds: dict[str, float] = field(default_factory=dict)
    use_cache: bool = True
    password: str | None = None
    passwords: tuple[tuple[str, str], ...] = ()  # (glob on the document path, password)
    ocr: bool = False
    limits: Limits = field(default_factory=Limits)
    figures: tuple[Figure, ...] = ()  # the key figures to read (contract sheet)
    def password_for(self, display: str) -> str | None:
        """The password of the document shown as `display`: the first [passwords] glob it
        matches, else --password."""
        return next((pw for glob, pw in self.passwords if matches(display, glob)), self.password)
