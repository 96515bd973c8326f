"""Accuracy is a guarded property: the labelled corpus (bench/corpus) must stay above its targets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from contratcheck.engine.loader import load_rules
from contratcheck.service.pipeline import audit_file

CORPUS = Path(__file__).resolve().parents[1] / "bench" / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))
RULES = load_rules([], default=True)


@pytest.fixture(scope="module")
def counts():
    tp, fp, fn = Counter(), Counter(), Counter()
    for name, entry in EXPECTED.items():
        path = CORPUS / "docs" / f"{name}.{entry['format']}"
        result = audit_file(path, path.name, RULES)
        assert result.status.value == entry.get("status", "ok"), f"{name}: {result.error}"
        if "code" in entry:
            assert result.error.code == entry["code"], name
        got, want = {f.rule for f in result.findings}, set(entry.get("fires") or [])
        tp.update(got & want)
        fp.update(got - want)
        fn.update(want - got)
    return tp, fp, fn


def test_micro_f1_at_least_097(counts):
    tp, fp, fn = (sum(c.values()) for c in counts)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.97, f"F1={f1:.3f}"


def test_every_rule_precision_at_least_090(counts):
    tp, fp, _ = counts
    low = {rule: tp[rule] / (tp[rule] + fp[rule]) for rule in set(tp) | set(fp) if tp[rule] / (tp[rule] + fp[rule]) < 0.9}
    assert not low, low


def test_every_rule_fires_on_some_corpus_document(counts):
    tp, _, _ = counts
    # A contradiction needs two pieces: bench/corpus/sets and tests/test_set_rules.py exercise it.
    silent = [rule.id for rule in RULES if tp[rule.id] == 0 and rule.checks[0].kind != "contradiction"]
    assert not silent, f"rules never fired on the corpus: {silent}"
