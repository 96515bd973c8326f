"""Project settings: contratcheck.toml or [tool.contratcheck] in pyproject.toml, found by walking up
from the current folder; defaults < file < command line, keeping where each value came from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from contratcheck.errors import ConfigError
from contratcheck.model import Limits, Severity

FAIL_ON = ("critique", "majeur", "mineur", "info", "none")
KEYS = {"fail-on", "rules", "disable", "severity", "thresholds", "jobs", "exclude", "include", "cache", "limits",
        "passwords", "compare"}
LIMIT_KEYS = {"max-size-mb": "max_megabytes", "max-pages": "max_pages", "timeout": "timeout",
              "max-zip-entries": "max_zip_entries", "max-zip-mb": "max_zip_megabytes"}
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

    def source(self, name: str) -> str:
        return self.sources.get(name, DEFAULT_SOURCE)

    def override(self, name: str, value: object, source: str) -> Settings:
        """A copy with `name` set, unless `value` is None (option not given)."""
        if value is None or value == () or value == []:
            return self
        if isinstance(value, list):
            value = tuple(value)
        return replace(self, **{name: value}, sources={**self.sources, name: source})


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
    settings = Settings()
    if "fail-on" in table:
        if table["fail-on"] not in FAIL_ON:
            raise error(f"« fail-on » vaut {', '.join(FAIL_ON)}.")
        settings = settings.override("fail_on", table["fail-on"], where)
    for key in ("rules", "disable", "exclude", "include"):
        if key in table:
            items = table[key]
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise error(f"« {key} » doit être une liste de textes.")
            value = tuple(path.parent / i for i in items) if key == "rules" else tuple(items)
            settings = settings.override(key, value, where)
    if "severity" in table:
        levels = {s.value for s in Severity}
        if not isinstance(table["severity"], dict) or not all(v in levels for v in table["severity"].values()):
            raise error(f"« severity » associe un identifiant de règle à une gravité ({', '.join(sorted(levels))}).")
        settings = settings.override("severity", dict(table["severity"]), where)
    if "thresholds" in table:
        values = table["thresholds"]
        if not isinstance(values, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values.values()):
            raise error("« thresholds » associe un nom de seuil à un nombre positif.")
        settings = settings.override("thresholds", {k: float(v) for k, v in values.items()}, where)
    if "jobs" in table:
        if not isinstance(table["jobs"], int) or isinstance(table["jobs"], bool) or table["jobs"] < 1:
            raise error("« jobs » doit être un entier au moins égal à 1.")
        settings = settings.override("jobs", table["jobs"], where)
    if "limits" in table:
        values = table["limits"]
        if not isinstance(values, dict) or set(values) - set(LIMIT_KEYS) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values.values()):
            raise error(f"« limits » associe à un nombre positif : {', '.join(LIMIT_KEYS)}.")
        limits = replace(Limits(), **{LIMIT_KEYS[k]: v for k, v in values.items()})
        settings = settings.override("limits", limits, where)
    if "passwords" in table:
        values = table["passwords"]
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise error("« passwords » associe un motif de chemin de document à son mot de passe.")
        settings = settings.override("passwords", tuple(values.items()), where)
    if "cache" in table:
        if not isinstance(table["cache"], bool):
            raise error("« cache » vaut true ou false.")
        settings = settings.override("cache", table["cache"], where)
    if "compare" in table:
        settings = settings.override("compare", _compare(table["compare"], error), where)
    return settings


def _compare(table: object, error) -> CompareSettings:
    def number(value: object) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0

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
