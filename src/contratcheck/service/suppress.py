"""Findings left out on purpose: `.contratcheck-ignore.yaml` entries (with a reason and an optional
expiry date) and `--baseline` (a previous JSON report). Suppressed findings are kept and counted."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from contratcheck.errors import ConfigError
from contratcheck.model import DocumentResult, Finding, Suppressed
from contratcheck.service.globs import matches

IGNORE_FILE = ".contratcheck-ignore.yaml"


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
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path} : fichier illisible ({exc}).") from None
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
    """(document path, rule id) pairs already reported in a previous JSON report."""
    try:
        payload = json.loads(path.read_text("utf-8"))
        return {(d["path"], f["rule"]) for d in payload["documents"] for f in d["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} : rapport JSON de référence illisible ({exc}).") from None


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
