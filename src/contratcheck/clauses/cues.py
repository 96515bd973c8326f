"""The clause cues of a pack (its pack.yaml `clauses:` section), compiled once per pack.

Cues are French wording, so they live in YAML like every other domain fact; this module only
checks their shape and compiles them. Every pattern applies to folded text (lower case, no
accents, « » as straight quotes), as rule patterns do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from contratcheck.model import Mode, Party
from contratcheck.text.fold import strip_accents


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when `text` holds none of the literal beginnings every match of `pattern` starts with:
    an Aho-Corasick pass, in C, spares most regex searches, which are slow for a cue that may start
    at any « ne » or « aucun »."""
    automaton = _triggers.get(pattern.pattern)
    if automaton is None:
        automaton = _triggers[pattern.pattern] = _trigger(pattern)
    return automaton is False or next(automaton.iter(text), None) is not None


class _Automaton(Protocol):
    """What is used of a pyahocorasick automaton: (end index, value) of each key found in `text`."""

    def iter(self, text: str) -> Iterator[tuple[int, str]]: ...


def _trigger(pattern: re.Pattern[str]) -> _Automaton | Literal[False]:
    from contratcheck.text.scan import prefixes

    beginnings = prefixes(pattern.pattern)
    if not beginnings:
        return False  # beginnings unknown (an anchor, a class): always search
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in set(beginnings):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


_triggers: dict[str, _Automaton | Literal[False]] = {}  # per process: a pack's cues are compiled once, searched at every sentence


def search(pattern: re.Pattern[str] | None, text: str) -> re.Match[str] | None:
    """pattern.search(text), skipped when the text cannot hold a match."""
    if pattern is None or not may_match(pattern, text):
        return None
    return pattern.search(text)


CLAUSE_KEYS = {"parties", "alias", "beneficiary", "agent", "opening", "continues", "modes"}
REACHES = ("clause", "block", "heads", "sections", "unless")


class CueError(ValueError):
    """A malformed `clauses:` section; the message is French and names the key."""


@dataclass(frozen=True, slots=True)
class ModeCues:
    """Where a mode is read: the clause itself, its paragraph or list item, the lead-in of its list
    or table, its section heading; `unless` cancels it ("option … incluse en standard")."""

    mode: Mode
    clause: re.Pattern[str] | None
    block: re.Pattern[str] | None
    heads: re.Pattern[str] | None
    sections: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class ClauseCues:
    names: tuple[tuple[Party, str], ...]  # a party and the pattern of its names
    alias: re.Pattern[str] | None  # "ci-après dénommée « X »": group `name`
    beneficiary: re.Pattern[str] | None  # read right after a party: it benefits, it is not bound
    agent: tuple[str, ...]  # patterns naming the bound party elsewhere, "{party}" for its names
    opening: re.Pattern[str] | None  # subordinate openings skipped before the subject
    continues: re.Pattern[str] | None  # a clause that refers back to the sentence before
    modes: tuple[ModeCues, ...]  # in precedence order


def _alternation(raw: object, key: str) -> str:
    items = raw if isinstance(raw, list) else [raw]
    texts = [item for item in items if isinstance(item, str) and item.strip()]
    if not items or len(texts) != len(items):
        raise CueError(f"« {key} » attend une expression ou une liste d'expressions non vides.")
    return "|".join(f"(?:{strip_accents(item)})" for item in texts)


def _compile(raw: object, key: str) -> re.Pattern[str] | None:
    if raw is None:
        return None
    source = _alternation(raw, key)
    try:
        return re.compile(source)
    except re.error as exc:
        raise CueError(f"expression invalide dans « {key} » ({exc}).") from None


def _modes(raw: object) -> tuple[ModeCues, ...]:
    if not isinstance(raw, dict):
        raise CueError("« modes » est un dictionnaire mode → indices (clause, block, heads, sections, unless).")
    modes = []
    for name, cues in raw.items():
        try:
            mode = Mode(name)
        except ValueError:
            known = ", ".join(m.value for m in Mode if m is not Mode.ENGAGEMENT)
            raise CueError(f"mode inconnu « {name} » (modes : {known}).") from None
        if mode is Mode.ENGAGEMENT or not isinstance(cues, dict) or not cues or set(cues) - set(REACHES):
            raise CueError(f"le mode « {name} » attend des indices parmi {', '.join(REACHES)}.")
        compiled = {reach: _compile(cues.get(reach), f"modes.{name}.{reach}") for reach in REACHES}
        modes.append(ModeCues(mode, **compiled))
    return tuple(modes)


def compile_cues(raw: object) -> ClauseCues:
    """The `clauses:` section of a pack.yaml, checked and compiled."""
    if not isinstance(raw, dict) or set(raw) - CLAUSE_KEYS or "parties" not in raw:
        raise CueError(f"« clauses » attend parties, et éventuellement {', '.join(sorted(CLAUSE_KEYS - {'parties'}))}.")
    parties = raw["parties"]
    if not isinstance(parties, dict) or not parties:
        raise CueError("« parties » est un dictionnaire partie → noms (prestataire, client, tiers).")
    names = []
    for name, words in parties.items():
        try:
            party = Party(name)
        except ValueError:
            raise CueError(f"partie inconnue « {name} » (prestataire, client, tiers).") from None
        if party is Party.INCONNU:
            raise CueError("la partie « inconnu » n'a pas de noms : c'est l'absence de partie nommée.")
        names.append((party, _alternation(words, f"parties.{name}")))
    agent = raw.get("agent") or []
    if not isinstance(agent, list) or not all(isinstance(a, str) and "{party}" in a for a in agent):
        raise CueError("« agent » attend une liste d'expressions contenant chacune {party}.")
    alias = _compile(raw.get("alias"), "alias")
    if alias is not None and "name" not in alias.groupindex:
        raise CueError("« alias » doit capturer le nom dans un groupe (?P<name>…).")
    return ClauseCues(tuple(names), alias, _compile(raw.get("beneficiary"), "beneficiary"),
                      tuple(strip_accents(a) for a in agent), _compile(raw.get("opening"), "opening"),
                      _compile(raw.get("continues"), "continues"), _modes(raw.get("modes") or {}))
