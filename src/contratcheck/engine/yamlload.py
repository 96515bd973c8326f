"""Safe YAML loading that remembers the line of every mapping, for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from contratcheck.errors import RuleFileError
from contratcheck.text.scan import remembered


class LineDict(dict):
    """A YAML mapping that knows the line it starts on."""

    line: int = 0


try:  # libyaml parses several times faster than the pure-Python loader
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """Safe loading: plain data only, never object construction."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(path: Path) -> object:
    """The file's data; what a text parses to is kept in the loader's memo when one is open, as
    building the default pack's thousands of nodes in Python is a large part of start-up."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(path), f"fichier illisible ({exc}).") from None
    try:
        return _decoded(remembered("yaml", text, lambda: _encoded(_parsed(path, text))))
    except TypeError:  # a value the memo cannot store (a date): parsed every time
        return _parsed(path, text)


_STORABLE = (str, int, float, bool, type(None))


def _encoded(data: object) -> object:
    """`data` in plain values the memo stores: a mapping becomes (its line, a dict)."""
    if isinstance(data, LineDict):
        if not all(isinstance(key, _STORABLE) for key in data):
            raise TypeError
        return data.line, {key: _encoded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_encoded(item) for item in data]
    if isinstance(data, _STORABLE):
        return data
    raise TypeError


def _decoded(data: object) -> object:
    if isinstance(data, tuple):  # YAML itself never gives tuples
        line, mapping = data
        result = LineDict((key, _decoded(value)) for key, value in mapping.items())
        result.line = line
        return result
    if isinstance(data, list):
        return [_decoded(item) for item in data]
    return data


def _parsed(path: Path, text: str) -> object:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(str(path), f"YAML invalide : {problem}.", mark.line + 1 if mark else None) from None
