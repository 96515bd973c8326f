"""A pack's `precedence` section (pack.yaml) to a Precedence: the kinds of contract pieces (CCAP,
annexe, conditions générales…) and the wording of the clause that orders them. French errors.

The engine knows no piece by name: every kind, cue and word comes from the pack.
"""

from __future__ import annotations

import re

from contratcheck.engine.ir import PieceKind, Precedence
from contratcheck.errors import RuleFileError
from contratcheck.text.scan import analyse, folded_expression

PRECEDENCE_KEYS = {"order", "prevails", "here", "words", "title", "pieces"}
KIND_KEYS = {"id", "label", "pattern", "file"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def folded_regex(raw: object, where: str) -> re.Pattern[str]:
    """An author's expression (or list of them) on folded text, whole words, named groups kept
    (`(?P<name>…)`); ValueError with a French reason when it is empty, risky or invalid."""
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(s, str) and s.strip() for s in items):
        raise ValueError(f"{where} attend une expression ou une liste d'expressions non vides.")
    sources = [str(s) for s in items]
    risky = next((s for s in sources if analyse(s).risky), None)
    if risky:
        raise ValueError(f"{where} : expression régulière à risque « {risky} » (une répétition dans une répétition).")
    source = "|".join(f"(?:{s})" for s in sources)
    try:
        return re.compile(folded_expression(source).replace("(?p<", "(?P<"))
    except re.error as exc:
        raise ValueError(f"{where} : expression régulière invalide « {source} » ({exc}).") from None


def compile_precedence(raw: object, file: str) -> Precedence:
    """The `precedence` section of a pack.yaml; RuleFileError naming the file and line if wrong."""
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict) or set(raw) - PRECEDENCE_KEYS or "pieces" not in raw:
        raise RuleFileError(file, "« precedence » s'écrit {pieces: [{id, label, pattern, file}], order, prevails, "
                                  "here, words, title}.", line)
    try:
        kinds = tuple(_kind(item) for item in _list(raw["pieces"], "« pieces »"))
        cues = {key: folded_regex(raw[key], f"« {key} »") if key in raw else None for key in ("order", "prevails", "here")}
        words, title = (_count(raw, key, default) for key, default in (("words", 160), ("title", 400)))
    except ValueError as exc:
        raise RuleFileError(file, f"precedence : {exc}", line) from None
    ids = [kind.id for kind in kinds]
    if len(set(ids)) != len(ids):
        raise RuleFileError(file, "precedence : deux pièces ont le même « id ».", line)
    return Precedence(kinds, cues["order"], cues["prevails"], cues["here"], words, title)


def _list(raw: object, where: str) -> list:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where} attend une liste non vide.")
    return raw


def _kind(raw: object) -> PieceKind:
    if not isinstance(raw, dict) or set(raw) - KIND_KEYS or not {"id", "label", "pattern"} <= set(raw):
        raise ValueError("chaque pièce s'écrit {id, label, pattern, file (facultatif)}.")
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        raise ValueError("l'« id » d'une pièce est en minuscules, mots séparés par des tirets (ex. ccap).")
    if not isinstance(raw["label"], str) or not raw["label"].strip():
        raise ValueError(f"la pièce « {raw['id']} » a besoin d'un « label » non vide.")
    text = folded_regex(raw["pattern"], f"pièce « {raw['id']} »")
    file = folded_regex(raw["file"], f"pièce « {raw['id']} », « file »") if "file" in raw else text
    return PieceKind(raw["id"], raw["label"].strip(), text, file)


def _count(raw: dict, key: str, default: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"« {key} » doit être un entier positif.")
    return value
