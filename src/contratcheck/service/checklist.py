"""The pre-signature checklist (five questions, four alarming answers), shipped as data."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    text: str  # the question to ask, or the answer that should alarm
    reveals: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Checklist:
    questions: tuple[ChecklistItem, ...]
    alerts: tuple[ChecklistItem, ...]


def load_checklist() -> Checklist:
    data = yaml.safe_load(resources.files("contratcheck").joinpath("data/checklist.yaml").read_text("utf-8"))
    return Checklist(
        tuple(ChecklistItem(q["question"], q["reveals"], tuple(q["rules"])) for q in data["questions"]),
        tuple(ChecklistItem(a["answer"], a["reveals"], tuple(a["rules"])) for a in data["alerts"]),
    )
