"""End-to-end verdicts on the shipped samples, in each of their three formats."""

from __future__ import annotations

import pytest
import yaml

from conftest import SAMPLES
from contratcheck.engine.loader import load_pack
from contratcheck.service.options import AuditOptions
from contratcheck.service.pipeline import audit_file
from contratcheck.text.wording import describe

EXPECTED = yaml.safe_load((SAMPLES / "expected.yaml").read_text("utf-8"))
FICHES = EXPECTED.pop("fiches")
RULES, FIGURES = load_pack([], default=True)
CASES = [(name, suffix) for name in sorted(EXPECTED) for suffix in ("pdf", "docx", "txt")]


@pytest.mark.parametrize(("name", "suffix"), CASES, ids=[f"{n}.{s}" for n, s in CASES])
def test_sample_verdict_and_sheet(name, suffix):
    result = audit_file(SAMPLES / f"{name}.{suffix}", f"{name}.{suffix}", RULES, AuditOptions(figures=FIGURES))
    assert result.status.value == "ok"
    assert sorted(f.rule for f in result.findings) == sorted(EXPECTED[name]["fires"])
    shown = {figure.id: describe(figure) for figure in result.key_figures if figure.values}
    assert shown == FICHES[name]


def test_sound_sample_has_no_critical_finding():
    result = audit_file(SAMPLES / "contrat-sain.pdf", "contrat-sain.pdf", RULES)
    assert all(f.severity.value != "critique" for f in result.findings)
