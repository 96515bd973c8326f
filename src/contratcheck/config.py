"""Project settings: contratcheck.toml or [tool.contratcheck] in pyproject.toml, found by walking up
from the current folder; defaults < file < command line, keeping where each value came from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from contratcheck.errors import ContratcheckError
from contratcheck.model import Limits, Severity

FAIL_ON = ("critique", "majeur", "mineur", "info", "none")
KEYS = {"fail-on", "rules", "disable", "severity", "thresholds", "jobs", "exclude", "include", "cache", "limits",
        "passwords"}
LIMIT_KEYS = {"max-size-mb": "max_megabytes", "max-pages": "max_pages", "timeout": "timeout",
              "max-zip-entries": "max_zip_entries", "max-zip-mb": "max_zip_megabytes"}
DEFAULT_SOURCE = "défaut"


class ConfigError(ContratcheckError):
    code = "config"


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
    return settings
