"""Turn the paths a user gives into the sorted list of files to audit, with their display paths."""

from __future__ import annotations

from pathlib import Path, PurePath

from contratcheck.extract import SUPPORTED_SUFFIXES


def discover(arguments: list[Path]) -> list[tuple[Path, str]]:
    """Files named directly, plus every supported file inside named folders (recursive, sorted).

    The display path is the argument as typed, or joined to the file's path inside the folder, so
    reports never show an absolute path the user did not give. A file named twice is kept once.
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for argument in arguments:
        if argument.is_dir():
            inside = sorted(p for p in argument.rglob("*")
                            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(p, argument))
            items = [(p, (PurePath(argument) / p.relative_to(argument)).as_posix()) for p in inside]
        else:
            items = [(argument, argument.as_posix())]
        for path, display in items:
            key = path.resolve() if path.exists() else path
            if key not in seen:
                seen.add(key)
                found.append((path, display))
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)
