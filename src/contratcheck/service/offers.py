"""Which files make which offer in a comparison: files with a contract's extension, and one column
for a contract given in several formats (same name, same results)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from contratcheck.extract import SUPPORTED_SUFFIXES
from contratcheck.model import DocumentResult, Status
from contratcheck.text.wording import describe


@dataclass(frozen=True, slots=True)
class Offer:
    """One column of the grid: the audit of one file, or of files that gave the very same results."""

    name: str  # column title: "contrat-sain.pdf", or "contrat-sain (docx, pdf, txt)"
    result: DocumentResult  # the first file's; the others said exactly the same


def contract_files(files: list[tuple[Path, str]]) -> tuple[list[tuple[Path, str]], tuple[str, ...]]:
    """Files to compare, and the display paths set aside because their extension is not a
    contract's (a script or a data file next to the offers); a file without extension is kept."""
    kept = [f for f in files if not f[0].suffix or f[0].suffix.lower() in SUPPORTED_SUFFIXES]
    return kept, tuple(display for path, display in files if (path, display) not in kept)


def group(results: list[DocumentResult]) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """Offers in input order, and French notices saying which files were merged or why not."""
    groups: dict[tuple, list[DocumentResult]] = {}
    for result in results:
        groups.setdefault((_stem(result.path), _signature(result)), []).append(result)
    stems = [stem for stem, _ in groups]
    notices = [f"{', '.join(m.path for m in members)} : le même contrat en plusieurs formats, avec les mêmes"
               " résultats ; une seule colonne." for members in groups.values() if len(members) > 1]
    notices += [f"{stem} : ses différents formats ne donnent pas les mêmes résultats ; une colonne par fichier"
                " (vérifiez lequel est la version à signer)." for stem in dict.fromkeys(stems) if stems.count(stem) > 1]
    names = [_name(members, short=True) for members in groups.values()]
    offers = tuple(Offer(_name(members, short=names.count(name) == 1), members[0])
                   for name, members in zip(names, groups.values()))
    return offers, tuple(notices)


def _stem(path: str) -> str:
    return PurePath(path).with_suffix("").as_posix()


def _signature(result: DocumentResult) -> tuple:
    """What must be equal for two files to be one offer; unread files are never merged."""
    if result.status is not Status.OK:
        return (result.path,)
    return (tuple(describe(figure) for figure in result.key_figures),
            tuple(sorted((f.rule, f.severity.value, f.message) for f in result.findings)))


def _name(members: list[DocumentResult], short: bool) -> str:
    first = PurePath(members[0].path)
    if len(members) == 1:
        return first.name if short else first.as_posix()
    formats = ", ".join(sorted(PurePath(m.path).suffix.lstrip(".").lower() for m in members))
    return f"{first.stem if short else _stem(members[0].path)} ({formats})"
