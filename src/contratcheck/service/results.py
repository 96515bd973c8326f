"""Finished document results, kept pickled in an anonymous temporary file and read back on demand.

A batch of 1,000 contracts then holds one result in memory at a time instead of all of them, since
every result carries its findings and their excerpts. Reports read them a few times (summary, then
documents): unpickling a result again is negligible next to auditing its document.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence

from contratcheck.model import DocumentResult


class Results(Sequence[DocumentResult]):
    """Results in the order of their index, whatever order they were added in; indexes never
    added (documents not finished after Ctrl-C) are skipped."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._where: dict[int, tuple[int, int]] = {}  # index -> (offset, length)
        self._order: list[int] | None = None
        self._size = 0

    def add(self, index: int, result: DocumentResult) -> None:
        self.add_pickled(index, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))

    def add_pickled(self, index: int, data: bytes) -> None:
        """Store a result as a worker sent it, without unpickling it here."""
        self._file.seek(self._size)
        self._file.write(data)
        self._where[index] = (self._size, len(data))
        self._size += len(data)
        self._order = None

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        if self._order is None:
            self._order = sorted(self._where)
        offset, length = self._where[self._order[position]]
        self._file.seek(offset)
        return pickle.loads(self._file.read(length))

    def __iter__(self) -> Iterator[DocumentResult]:
        return (self[i] for i in range(len(self)))


class Mapped(Sequence[DocumentResult]):
    """`results` seen through `change` (suppressions applied), computed again at each reading."""

    def __init__(self, results: Sequence[DocumentResult], change: Callable[[DocumentResult], DocumentResult]) -> None:
        self._results, self._change = results, change

    def __len__(self) -> int:
        return len(self._results)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self._change(r) for r in self._results[position]]
        return self._change(self._results[position])

    def __iter__(self) -> Iterator[DocumentResult]:
        return map(self._change, self._results)
