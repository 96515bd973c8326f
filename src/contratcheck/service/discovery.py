"""Turn the paths a user gives into the sorted list of files to audit, with their display paths."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePath

from contratcheck.extract import SUPPORTED_SUFFIXES
from contratcheck.service.globs import matches


def discover(arguments: list[Path], include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
             skipped: list[str] | None = None) -> list[tuple[Path, str]]:
    """Files named directly, plus every supported file inside named folders (recursive, sorted).

    The display path is the argument as typed, or joined to the file's path inside the folder, so
    reports never show an absolute path the user did not give. A file named twice is kept once.
    Nothing inside a folder is skipped without a word: a sub-folder that cannot be read, and a
    pipe, device, broken link or link loop with a contract's extension, are kept, and the audit
    says why each one could not be read. A folder's project files (README.md, LICENSE.txt…, see
    `is_project_file`) are no contracts: left out unless an `include` glob matches them, their
    display paths added to `skipped` for the audit to say so.
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for argument in arguments:
        items = (_inside(argument, include, exclude, skipped if skipped is not None else []) if argument.is_dir()
                 else [(argument, argument.as_posix())])
        for path, display in items:
            key = _key(path)
            if key not in seen:
                seen.add(key)
                found.append((path, display))
    return found


def _key(path: Path) -> Path:
    """What makes two names one file: its resolved path (a broken link or a loop: the name itself).
    A link to a folder is never followed: it is an entry of its own, reported as a folder that was
    not read, so two links to one folder are two entries, not one silently dropped."""
    try:
        if path.is_symlink() and path.is_dir():
            return path.absolute()
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return path.absolute()


def _inside(folder: Path, include: tuple[str, ...], exclude: tuple[str, ...], skipped: list[str]) -> list[tuple[Path, str]]:
    candidates: list[Path] = []
    unreadable: list[Path] = []
    for root, names in _walk(folder, unreadable):
        candidates += [Path(root, name) for name in names
                       if not _hidden(name) and Path(name).suffix.lower() in SUPPORTED_SUFFIXES]
    inside, folders = [], set(unreadable)
    for path in sorted(candidates + unreadable):
        relative = path.relative_to(folder).as_posix()
        display = (PurePath(folder) / relative).as_posix()
        if path not in folders and is_project_file(path.name) and not any(matches(relative, g) for g in include):
            skipped.append(display)
        elif _selected(relative, include, exclude):
            inside.append((path, display))
    return inside


def _walk(folder: Path, unreadable: list[Path]) -> Iterator[tuple[str, list[str]]]:
    """Each folder under `folder` (links to folders not followed, hidden ones skipped) with the
    names of what it holds that is not a folder. A stack, not recursion: a tree nested a thousand
    deep is read like any other; a folder that cannot be listed goes to `unreadable`."""
    pending = [os.fspath(folder)]
    while pending:
        root = pending.pop()
        try:
            with os.scandir(root) as entries:
                listed = list(entries)
        except OSError:
            unreadable.append(Path(root))
            continue
        pending += [entry.path for entry in listed if _is_folder(entry) and not _hidden(entry.name)]
        yield root, [entry.name for entry in listed if not _is_folder(entry)]


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


# What a repository or a shared folder keeps beside the contracts, in text or Markdown: its notes,
# never a contract (the pre-commit hook leaves out the same names). A PDF or Word "licence-erp.pdf"
# may well be one (a software licence agreement): only text formats are project files.
_PROJECT_FILES = re.compile(
    r"(?:readme|changelog|changes|contributing|contributors|sources|authors|code[-_]of[-_]conduct|security"
    r"|(?:licen[cs]e|copying)(?:[-_][\w-]+)?)(?:\.[\w-]+)?\.(?:md|markdown|txt|text)", re.IGNORECASE)


def is_project_file(name: str) -> bool:
    """README.md, SOURCES.md, CHANGELOG.md, LICENSE-MIT.txt…, whatever their case."""
    return bool(_PROJECT_FILES.fullmatch(name))


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _selected(relative: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Folder contents are filtered by globs on their path inside the folder; named files never are."""
    if include and not any(matches(relative, g) for g in include):
        return False
    return not any(matches(relative, g) for g in exclude)


def source_root(start: Path) -> Path:
    """The root of the Git work tree holding `start` (a folder), else `start` itself: SARIF and CI
    dashboards name files from the repository root, whatever folder the audit ran in."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start
