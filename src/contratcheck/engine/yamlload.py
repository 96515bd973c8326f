"""Safe YAML loading that remembers the line of every mapping, for error messages.

Only regular files are read (a named pipe would block forever, a device never end), and a text
is checked event by event before anything is built from it: an alias is refused (nine lines of
anchors and aliases expand to billions of values, the "billion laughs"), and so is nesting
deeper than MAX_DEPTH (the loader and the compilers recurse on it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from contratcheck.errors import RuleFileError
from contratcheck.text.scan import remembered

MAX_DEPTH = 64  # nested mappings and lists; the default pack needs 9
_MEMO_KIND = "yaml-checked"  # texts kept under the former kind, "yaml", were never checked: not read back
_TOO_DEEP = f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux de listes et de dictionnaires)."
NOT_REGULAR = "ce n'est pas un fichier ordinaire (tube nommé, périphérique…) : il n'est pas lu."


class LineDict(dict):
    """A YAML mapping that knows the line it starts on."""

    line: int = 0


class Unreadable(Exception):
    """A file or a YAML text refused, with a French message; callers turn it into their own error
    (RuleFileError for rule files, ConfigError for the ignore file and the baseline)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


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


def regular_text(path: Path) -> str:
    """The UTF-8 text of `path`, refused (Unreadable) unless it is a regular file: its type is
    checked before opening and again on the open file, which a pipe cannot block."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise Unreadable(NOT_REGULAR)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise Unreadable(NOT_REGULAR)
            data = stream.read()
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text() reads it
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(f"fichier illisible ({exc}).") from None


def parse_yaml(text: str) -> object:
    """The data of a YAML text (mappings as LineDict), refused (Unreadable) when it is invalid,
    holds an alias or nests deeper than MAX_DEPTH: checked before any node is built."""
    try:
        _check_events(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        if "nesting depth" in problem:  # libyaml's own bound (1,000 levels), met before ours
            raise Unreadable(_TOO_DEEP, line) from None
        raise Unreadable(f"YAML invalide : {problem}.", line) from None


def _check_events(text: str) -> None:
    """Read the text's events only (no node, no value): refuse aliases and deep nesting."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise Unreadable(f"alias YAML « *{event.anchor} » refusé : les ancres et les alias (&nom, *nom) ne sont pas "
                             "acceptés, car quelques lignes peuvent ainsi se démultiplier jusqu'à saturer la mémoire ; "
                             "écrivez chaque valeur en entier.", _line(event))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise Unreadable(_TOO_DEEP, _line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _line(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark else None


def load_yaml(path: Path) -> object:
    """The data of a rule file or pack.yaml; what a text parses to is kept in the loader's memo when
    one is open, as building the default pack's thousands of nodes in Python is a large part of
    start-up (only texts that passed the checks of parse_yaml are ever kept)."""
    try:
        text = regular_text(path)
    except Unreadable as exc:
        raise RuleFileError(str(path), exc.message) from None
    try:
        return _decoded(remembered(_MEMO_KIND, text, lambda: _encoded(_parsed(path, text))))
    except TypeError:  # a value the memo cannot store (a date): parsed every time
        return _parsed(path, text)


def _parsed(path: Path, text: str) -> object:
    try:
        return parse_yaml(text)
    except Unreadable as exc:
        raise RuleFileError(str(path), exc.message, exc.line) from None


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
