"""Findings left out on purpose: `.contratcheck-ignore.yaml` entries (with a reason and an optional
expiry date) and `--baseline` (a previous JSON report). Suppressed findings are kept and counted.

A document is reported under the path the user typed, which depends on the folder the audit runs
in. Both kinds of entries are therefore matched on the file itself: an ignore glob on the
document's path relative to the folder of the ignore file, a baseline path through what it named
where the baseline was written (see `_baseline_keys`). The reported path is never changed.

A contract made of several files (a set) is reported under its name. An ignore glob that matches the
name covers all its findings; entries that match its pieces cover the findings whose excerpts all
lie in pieces they match: an absent clause is missing from every piece, so only entries matching
them all (or the name) cover it, and a contradiction between two pieces is kept while one of them
is not named. The baseline matches a set's findings by its name (`contracts` of the previous report).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from contratcheck.engine.yamlload import Unreadable, parse_yaml, regular_text
from contratcheck.errors import ConfigError
from contratcheck.model import DocumentResult, Finding, Suppressed
from contratcheck.service.globs import matches, names_from, places

IGNORE_FILE = ".contratcheck-ignore.yaml"
# The format of the JSON reports a baseline is read from (report.json.SCHEMA_ID, a layer above).
BASELINE_SCHEMA = "contratcheck.report/1"


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    document: str  # glob on the document path relative to `base`
    rule: str
    reason: str
    expires: dt.date | None
    base: str | None = None  # the ignore file's folder, absolute; None: the path as reported


def find_ignore_file(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / IGNORE_FILE).is_file():
            return folder / IGNORE_FILE
    return None


def load_ignore(path: Path) -> tuple[IgnoreEntry, ...]:
    try:  # a regular file, no alias, bounded nesting: checked before anything is built
        data = parse_yaml(regular_text(path)) or {}
    except Unreadable as exc:
        raise ConfigError(f"{path}{f', ligne {exc.line}' if exc.line else ''} : {exc.message}") from None
    items = data.get("ignore") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{path} : attendu une liste « ignore: » d'entrées (document, rule, reason, expires).")
    entries = []
    base = os.path.abspath(path.parent)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) - {"document", "rule", "reason", "expires"}:
            raise ConfigError(f"{path}, entrée {number} : clés possibles document, rule, reason, expires.")
        if not all(isinstance(item.get(k), str) and item[k].strip() for k in ("document", "rule", "reason")):
            raise ConfigError(f"{path}, entrée {number} : « document », « rule » et « reason » (la raison) sont obligatoires.")
        expires = item.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise ConfigError(f"{path}, entrée {number} : « expires » est une date AAAA-MM-JJ.") from None
        entries.append(IgnoreEntry(item["document"], item["rule"], item["reason"].strip(), expires, base))
    return tuple(entries)


def load_baseline(path: Path) -> set[tuple[str, str]]:
    """(where, rule id) for each finding of a previous JSON report of this format; `where` is the
    file the report named, or a relative path matched as a suffix (`_baseline_keys`)."""
    def error(problem: str) -> ConfigError:
        return ConfigError(f"{path} : rapport JSON de référence (--baseline) {problem}")

    try:
        payload = json.loads(regular_text(path))
    except Unreadable as exc:
        raise error(f"refusé : {exc.message}") from None
    except ValueError as exc:
        raise error(f"illisible ({exc}).") from None
    except RecursionError:
        raise error("illisible (imbrication trop profonde).") from None
    schema = payload.get("schema") if isinstance(payload, dict) else None
    if schema != BASELINE_SCHEMA:
        found = f"au format « {schema} »" if isinstance(schema, str) else "sans format déclaré (clé « schema »)"
        raise error(f"{found} : cette version lit le format « {BASELINE_SCHEMA} ». Refaites-le avec "
                    "« contratcheck audit … --format json --output … ».")
    try:
        pairs = {(d["path"], f["rule"]) for d in payload["documents"] for f in d["findings"]}
        pairs |= {(c["name"], f["rule"]) for c in payload.get("contracts", []) for f in c["findings"]}
    except (KeyError, TypeError, AttributeError):
        pairs = {(None, None)}
    if not all(isinstance(item, str) for pair in pairs for item in pair):
        raise error("mal formé : chaque document y a un chemin « path » (chaque contrat, un nom « name ») et des "
                    "constats « findings » qui nomment leur « rule ».")
    keys = {recorded: _baseline_keys(recorded, path.parent) for recorded in {p for p, _ in pairs}}
    return {(key, rule) for recorded, rule in pairs for key in keys[recorded]}


def _baseline_keys(recorded: str, folder: Path) -> set[str]:
    """What a baseline path stands for. A report records paths as typed, relative to a working
    folder it does not record: the path names the file it reaches from the baseline's folder (where
    the report is usually written), failing that from the current folder; when it reaches no file
    from either (a baseline written elsewhere, or kept in another folder), it matches any document
    whose path ends with it (`..` and `.` left out)."""
    for anchor in (folder, Path.cwd()):
        place = Path(anchor, recorded)
        if place.is_file():
            return set(places(place))
    parts = [part for part in PurePath(os.path.normpath(recorded)).parts if part not in ("..", ".")]
    return {PurePath(*parts).as_posix()} if parts else set()


def _tails(place: str) -> list[str]:
    """The relative paths an absolute path ends with: c.pdf, b/c.pdf, a/b/c.pdf for /a/b/c.pdf."""
    parts = PurePath(place).parts[1:]
    return [PurePath(*parts[i:]).as_posix() for i in range(len(parts))]


def _ignore_names(display: str, places: tuple[str, ...], entry: IgnoreEntry) -> list[str]:
    """The paths an ignore glob is matched on: the document's path relative to the ignore file's
    folder (as written and links resolved); the path as reported when the document lies outside
    it; its absolute forms for an absolute glob."""
    if PurePath(entry.document).is_absolute():
        return list(places)
    return names_from(entry.base, display, places)


def _covering(display: str, places: tuple[str, ...], entries: list[IgnoreEntry]) -> list[IgnoreEntry]:
    """The entries whose glob matches the document."""
    return [e for e in entries if any(matches(name, e.document) for name in _ignore_names(display, places, e))]


def _in_baseline(places: tuple[str, ...], baseline: set[tuple[str, str]], rule: str) -> bool:
    """The document is the file a baseline entry named, or its path ends with an unanchored one."""
    keys = [*places, *(tail for place in places for tail in _tails(place))]
    return any((key, rule) in baseline for key in keys)


def _piece_entry(finding: Finding, by_piece: dict[str, list[IgnoreEntry]]) -> IgnoreEntry | None:
    """An entry for the finding's rule when every piece of a set the finding lies in has one: the
    pieces of its excerpts, all of them for an absent clause. `by_piece`: the entries matching each
    piece (empty for a single document)."""
    if not by_piece:
        return None
    lying_in = [by_piece.get(e.path or "", []) for e in finding.evidence] or list(by_piece.values())
    entries = [next((e for e in candidates if e.rule == finding.rule), None) for candidates in lying_in]
    return entries[0] if all(entries) else None


def expired(entries: tuple[IgnoreEntry, ...], today: dt.date) -> list[str]:
    return [f"L'exception « {e.rule} » pour « {e.document} » a expiré le {e.expires:%d/%m/%Y} : "
            f"elle ne s'applique plus ({e.reason})." for e in entries if e.expires and e.expires < today]


def apply(result: DocumentResult, entries: tuple[IgnoreEntry, ...], baseline: set[tuple[str, str]],
          today: dt.date) -> DocumentResult:
    """Move the findings an active entry or the baseline covers to `suppressed`. Run in the folder
    the audit started in: the reported path is relative to it."""
    active = [e for e in entries if e.expires is None or e.expires >= today]
    if not result.findings or not (active or baseline):
        return result
    forms = places(result.path)
    covering = _covering(result.path, forms, active)
    by_piece = {piece.path: _covering(piece.path, places(piece.path), active) for piece in result.pieces}
    kept: list[Finding] = []
    suppressed = list(result.suppressed)
    for finding in result.findings:
        entry = next((e for e in covering if e.rule == finding.rule), None) or _piece_entry(finding, by_piece)
        if entry is not None:
            suppressed.append(Suppressed(finding.rule, finding.severity, finding.title, entry.reason))
        elif _in_baseline(forms, baseline, finding.rule):
            suppressed.append(Suppressed(finding.rule, finding.severity, finding.title, "déjà présent dans le rapport de référence (--baseline)"))
        else:
            kept.append(finding)
    return replace(result, findings=tuple(kept), suppressed=tuple(suppressed))
