"""Project settings: contratcheck.toml or [tool.contratcheck] in pyproject.toml, found by walking up
from the current folder; defaults < file < command line, keeping where each value came from."""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, TypedDict, TypeGuard, Unpack

from contratcheck.errors import ConfigError
from contratcheck.model import Limits, Severity
from contratcheck.service.sets import Declared

FAIL_ON = ("critique", "majeur", "mineur", "info", "none")
KEYS = {"fail-on", "rules", "disable", "severity", "thresholds", "jobs", "exclude", "include", "cache", "limits",
        "passwords", "compare", "contrats"}
LIMIT_KEYS = {"max-size-mb": "max_megabytes", "max-pages": "max_pages", "timeout": "timeout",
              "max-zip-entries": "max_zip_entries", "max-zip-mb": "max_zip_megabytes", "memory-mb": "memory_megabytes",
              "max-render-mpx": "max_render_megapixels"}
# The largest value each limit accepts: a bound that never bothers a contract, and that the clock,
# the operating system and the integers the limits become can hold (inf or 1e300 cannot).
LIMIT_CEILINGS = {"timeout": 86_400.0}  # 24 h for one document
LIMIT_CEILING = 1_000_000.0  # pages, megabytes, entries, megapixels
DEFAULT_SOURCE = "défaut"
# [compare]: numbers of the offer comparison; [compare.poids] and [compare.penalites] are tables.
COMPARE_NUMBERS = {"cout-horaire": "hourly_cost", "gtr-sans-engagement-heures": "hours_without_gtr",
                   "incidents-critiques-par-an": "incidents_per_year", "poids-cout": "cost_weight"}


@dataclass(frozen=True, slots=True)
class CompareSettings:
    """What the project sets for `contratcheck compare`; None and empty tables keep the defaults."""

    hourly_cost: float | None = None
    hours_without_gtr: float | None = None
    incidents_per_year: float | None = None
    cost_weight: float | None = None
    weights: dict[str, float] = field(default_factory=dict)  # figure id -> weight, checked against the pack
    penalties: dict[str, float] = field(default_factory=dict)  # severity -> points taken per finding


class Overrides(TypedDict, total=False):
    """The settings a configuration file or an option may set, named and typed as in Settings, so
    that mypy checks each value against its field."""

    fail_on: str
    rules: tuple[Path, ...]
    disable: tuple[str, ...]
    severity: dict[str, str]
    thresholds: dict[str, float]
    jobs: int
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    cache: bool
    limits: Limits
    passwords: tuple[tuple[str, str], ...]
    compare: CompareSettings
    contracts: tuple[Declared, ...]


ErrorFactory = Callable[[str], ConfigError]
ListKey = Literal["disable", "exclude", "include"]


@dataclass(frozen=True, slots=True)
class Settings:
    fail_on: str = "majeur"
    rules: tuple[Path, ...] = ()
    disable: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    jobs: int | None = None  # None: one worker per CPU
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    cache: bool = True
    limits: Limits = field(default_factory=Limits)
    passwords: tuple[tuple[str, str], ...] = ()  # (glob on the document path, password)
    compare: CompareSettings = field(default_factory=CompareSettings)
    sources: dict[str, str] = field(default_factory=dict)  # setting name -> where its value came from
    folder: str | None = None  # the configuration file's folder, absolute: its path globs are read from there
    contracts: tuple[Declared, ...] = ()  # [[contrats]]: contracts made of several files

    def source(self, name: str) -> str:
        return self.sources.get(name, DEFAULT_SOURCE)

    def override(self, source: str, **changes: Unpack[Overrides]) -> Settings:
        """A copy with `changes` set, each recorded as coming from `source`. Callers leave out
        what was not given, so that the value from the file or the default stays."""
        if not changes:
            return self
        return replace(self, **changes, sources={**self.sources, **dict.fromkeys(changes, source)})


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest contratcheck.toml, or pyproject.toml with [tool.contratcheck], at or above `start`."""
    for folder in [start, *start.parents]:
        candidate = folder / "contratcheck.toml"
        if candidate.is_file():
            return candidate, _read(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("contratcheck")
            if isinstance(table, dict):
                return pyproject, table
    return None


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} : fichier de configuration illisible ({exc}).") from None


def load_settings(start: Path | None = None) -> Settings:
    found = find_config((start or Path.cwd()).resolve())
    if found is None:
        return Settings()
    path, table = found
    where = path.name if path.name == "contratcheck.toml" else f"{path.name} [tool.contratcheck]"
    return _from_table(table, path, where)


def _from_table(table: dict, path: Path, where: str) -> Settings:
    def error(message: str) -> ConfigError:
        return ConfigError(f"{path} : {message}")

    unknown = set(table) - KEYS
    if unknown:
        raise error(f"clé inconnue « {sorted(unknown)[0]} » (clés possibles : {', '.join(sorted(KEYS))}).")
    changes = Overrides()
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            raise error(f"« fail-on » vaut {', '.join(FAIL_ON)}.")
        changes["fail_on"] = table["fail-on"]
    _lists(table, path, changes, error)
    if "severity" in table:
        levels = {s.value for s in Severity}
        if not isinstance(table["severity"], dict) or not all(v in levels for v in table["severity"].values()):
            raise error(f"« severity » associe un identifiant de règle à une gravité ({', '.join(sorted(levels))}).")
        changes["severity"] = dict(table["severity"])
    if "thresholds" in table:
        values = table["thresholds"]
        if not isinstance(values, dict) or not all(_finite(v) and v > 0 for v in values.values()):
            raise error("« thresholds » associe un nom de seuil à un nombre positif.")
        changes["thresholds"] = {k: float(v) for k, v in values.items()}
    if "jobs" in table:
        if not isinstance(table["jobs"], int) or isinstance(table["jobs"], bool) or table["jobs"] < 1:
            raise error("« jobs » doit être un entier au moins égal à 1.")
        changes["jobs"] = table["jobs"]
    if "limits" in table:
        changes["limits"] = _limits(table["limits"], error)
    if "passwords" in table:
        values = table["passwords"]
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise error("« passwords » associe un motif de chemin de document à son mot de passe.")
        if values:  # an empty table sets nothing
            changes["passwords"] = tuple(values.items())
    if "cache" in table:
        if not isinstance(table["cache"], bool):
            raise error("« cache » vaut true ou false.")
        changes["cache"] = table["cache"]
    if "compare" in table:
        changes["compare"] = _compare(table["compare"], error)
    if "contrats" in table:
        changes["contracts"] = _contracts(table["contrats"], error)
    return replace(Settings().override(where, **changes), folder=os.path.abspath(path.parent))


def _lists(table: dict, path: Path, changes: Overrides, error: ErrorFactory) -> None:
    """Check the list settings and add the non-empty ones to `changes`; an empty list sets nothing."""
    keys: tuple[ListKey, ...] = ("disable", "exclude", "include")
    for key in ("rules", *keys):
        if key in table:
            items = table[key]
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise error(f"« {key} » doit être une liste de textes.")
    if table.get("rules"):
        changes["rules"] = tuple(path.parent / i for i in table["rules"])
    for key in keys:
        if table.get(key):
            changes[key] = tuple(table[key])


def _contracts(entries: object, error: ErrorFactory) -> tuple[Declared, ...]:
    """[[contrats]] tables: nom = "…", pieces = ["globs", …]."""
    shape = "« [[contrats]] » : chaque contrat a un nom (nom = \"…\") et les motifs de ses pièces (pieces = [\"…\"])."
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise error(shape)
    declared = []
    for entry in entries:
        name, pieces = entry.get("nom"), entry.get("pieces")
        if set(entry) - {"nom", "pieces"} or not isinstance(name, str) or not name.strip() \
                or not isinstance(pieces, list) or not pieces or not all(isinstance(p, str) for p in pieces):
            raise error(shape)
        declared.append(Declared(name.strip(), tuple(pieces)))
    return tuple(declared)


def _finite(value: object) -> TypeGuard[float]:
    """A TOML number that is neither a boolean, nor inf or nan (which TOML allows)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)  # an int may be too large for a float


def _limits(values: object, error: ErrorFactory) -> Limits:
    """[limits]: each value a positive number no larger than its ceiling."""
    if not isinstance(values, dict) or set(values) - set(LIMIT_KEYS):
        raise error(f"« limits » associe à un nombre positif : {', '.join(LIMIT_KEYS)}.")
    for key, value in values.items():
        if not _limit_ok(key, value):
            raise error(f"« limits » : {key} vaut « {value} », attendu un nombre positif d'au plus {_ceiling(key)}.")
    return replace(Limits(), **{LIMIT_KEYS[k]: v for k, v in values.items()})


def _ceiling(key: str) -> str:
    if key == "timeout":
        return f"{LIMIT_CEILINGS[key]:.0f} s (24 h)"
    return f"{LIMIT_CEILING:,.0f}".replace(",", " ")


def _limit_ok(key: str, value: object) -> bool:
    return _finite(value) and 0 < value <= LIMIT_CEILINGS.get(key, LIMIT_CEILING)


def check_timeout(value: float | None, source: str = "--timeout") -> float | None:
    """`value` (seconds per document, from the command line) if it is a usable time limit; a
    ConfigError otherwise: nan would turn the limit off without a word, inf or 1e300 overflow."""
    if value is None or _limit_ok("timeout", value):
        return value
    raise ConfigError(f"{source} attend un nombre de secondes positif d'au plus {_ceiling('timeout')}, pas « {value} ».")


def _compare(table: object, error: ErrorFactory) -> CompareSettings:
    def number(value: object) -> bool:
        return _finite(value) and value >= 0

    tables = {"poids", "penalites"}
    if not isinstance(table, dict) or set(table) - set(COMPARE_NUMBERS) - tables:
        raise error(f"« compare » accepte : {', '.join(sorted([*COMPARE_NUMBERS, *tables]))}.")
    if not all(number(table[key]) for key in COMPARE_NUMBERS if key in table):
        raise error(f"dans « compare », {', '.join(COMPARE_NUMBERS)} sont des nombres positifs ou nuls.")
    for key in tables & set(table):
        if not isinstance(table[key], dict) or not all(number(v) for v in table[key].values()):
            raise error(f"« compare.{key} » associe un nom à un nombre positif ou nul.")
    severities = {s.value for s in Severity}
    if set(table.get("penalites", {})) - severities:
        raise error(f"« compare.penalites » : gravités possibles {', '.join(sorted(severities))}.")
    numbers = {COMPARE_NUMBERS[key]: float(table[key]) for key in COMPARE_NUMBERS if key in table}
    return CompareSettings(**numbers, weights={k: float(v) for k, v in table.get("poids", {}).items()},
                           penalties={k: float(v) for k, v in table.get("penalites", {}).items()})
