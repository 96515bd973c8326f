"""Findings left out on purpose: `.contratcheck-ignore.yaml` entries (with a reason and an optional
expiry date) and `--baseline` (a previous JSON report). Suppressed findings are kept and counted."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from contratcheck.engine.yamlload import Unreadable, parse_yaml, regular_text
from contratcheck.errors import ConfigError
from contratcheck.model import DocumentResult, Finding, Suppressed
from contratcheck.service.globs import matches

IGNORE_FILE = ".contratcheck-ignore.yaml"
# The format of the JSON reports a baseline is read from (report.json.SCHEMA_ID, a layer above).
BASELINE_SCHEMA = "contratcheck.report/1"


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    document: str  # glob on the document path as reported
    rule: str
    reason: str
    expires: dt.date | None


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
        entries.append(IgnoreEntry(item["document"], item["rule"], item["reason"].strip(), expires))
    return tuple(entries)


def load_baseline(path: Path) -> set[tuple[str, str]]:
    """(document path, rule id) pairs already reported in a previous JSON report of this format."""
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
    except (KeyError, TypeError):
        pairs = {(None, None)}
    if not all(isinstance(item, str) for pair in pairs for item in pair):
        raise error("mal formé : chaque document y a un chemin « path » et des constats « findings » qui nomment leur « rule ».")
    return pairs


def expired(entries: tuple[IgnoreEntry, ...], today: dt.date) -> list[str]:
    return [f"L'exception « {e.rule} » pour « {e.document} » a expiré le {e.expires:%d/%m/%Y} : "
            f"elle ne s'applique plus ({e.reason})." for e in entries if e.expires and e.expires < today]


def apply(result: DocumentResult, entries: tuple[IgnoreEntry, ...], baseline: set[tuple[str, str]],
          today: dt.date) -> DocumentResult:
    """Move the findings an active entry or the baseline covers to `suppressed`."""
    active = [e for e in entries if e.expires is None or e.expires >= today]
    kept: list[Finding] = []
    suppressed = list(result.suppressed)
    for finding in result.findings:
        entry = next((e for e in active if e.rule == finding.rule and matches(result.path, e.document)), None)
        if entry is not None:
            suppressed.append(Suppressed(finding.rule, finding.severity, finding.title, entry.reason))
        elif (result.path, finding.rule) in baseline:
            suppressed.append(Suppressed(finding.rule, finding.severity, finding.title, "déjà présent dans le rapport de référence (--baseline)"))
        else:
            kept.append(finding)
    return replace(result, findings=tuple(kept), suppressed=tuple(suppressed))
