"""How a run reads and judges documents: the options the batch hands each worker."""

from __future__ import annotations

from dataclasses import dataclass, field

from contratcheck.engine.ir import Figure
from contratcheck.model import Limits
from contratcheck.service.globs import matches, names_from, places


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """Everything about how to read and judge a document, shared by the batch and its workers."""

    thresholds: dict[str, float] = field(default_factory=dict)
    use_cache: bool = True
    password: str | None = None
    passwords: tuple[tuple[str, str], ...] = ()  # (glob on the document path, password)
    passwords_base: str | None = None  # the folder the globs are read from (the configuration's)
    ocr: bool = False
    limits: Limits = field(default_factory=Limits)
    figures: tuple[Figure, ...] = ()  # the key figures to read (contract sheet)
    def password_for(self, display: str) -> str | None:
        """The password of the document shown as `display`: the first [passwords] glob it
        matches, else --password."""
        if not self.passwords:
            return self.password
        names = names_from(self.passwords_base, display, places(display))
        return next((pw for glob, pw in self.passwords if any(matches(n, glob) for n in names)), self.password)
