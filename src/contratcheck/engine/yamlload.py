"""Safe YAML loading that remembers the line of every mapping, for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from contratcheck.errors import RuleFileError


class LineDict(dict):
    """A YAML mapping that knows the line it starts on."""

    line: int = 0


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses 6× faster when present
    """Safe loading: plain data only, never object construction."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(str(path), f"fichier illisible ({exc}).") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(str(path), f"YAML invalide : {problem}.", mark.line + 1 if mark else None) from None
