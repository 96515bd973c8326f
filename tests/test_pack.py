"""The default pack as data: catalogue ids and severities, examples, checklist links."""

from __future__ import annotations

import re

import pytest

from contratcheck.engine.examples import check_example
from contratcheck.engine.loader import load_rules
from contratcheck.service.checklist import load_checklist
from contratcheck.text.scan import PatternMemo, remembering

# The public catalogue (shared/spec/catalogue.md): ids and severities never change once released.
CATALOGUE = {
    "gtr-absente": "critique", "gtr-confondue-gti": "critique", "gtr-trop-longue": "majeur",
    "delai-non-engageant": "critique", "gti-absente": "majeur", "plages-horaires-absentes": "majeur",
    "penalites-absentes": "critique", "reversibilite-absente": "critique", "reversibilite-vague": "majeur",
    "preavis-long": "majeur", "engagement-long": "mineur", "frais-hors-forfait": "info",
    "interlocuteur-unique-absent": "majeur", "supervision-absente": "majeur", "assurance-rc-absente": "majeur",
    "edr-absent": "majeur", "pare-feu-absent": "majeur", "sauvegarde-externalisee-absente": "critique",
    "restauration-non-testee": "majeur", "sensibilisation-absente": "mineur", "rgpd-absent": "majeur",
    "rpo-rto-absents": "mineur", "pieces-contradictoires": "majeur", "annexe-manquante": "majeur",
}

RULES = load_rules([], default=True)
EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]


def test_pack_is_exactly_the_catalogue():
    assert {r.id: r.severity.value for r in RULES} == CATALOGUE


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES,
    ids=[f"{r.id}/{'fires' if e.fires else 'passes'}/{i}" for i, (r, e) in enumerate(EXAMPLES)],
)
def test_rule_example(rule, example):
    failure = check_example(rule, example, RULES)
    assert failure is None, failure.reason


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_complete(rule):
    assert any(e.fires for e in rule.examples) and any(not e.fires for e in rule.examples)
    for text in (rule.title, rule.condition, rule.why, rule.demand, rule.question):
        assert text.strip()
    assert rule.message.endswith("."), "a message is a French sentence"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id)


def test_checklist_links_existing_rules():
    checklist = load_checklist()
    assert len(checklist.questions) == 5 and len(checklist.alerts) == 4
    linked = {r for item in checklist.questions + checklist.alerts for r in item.rules}
    assert linked <= set(CATALOGUE)


def test_pattern_memo_is_reused_across_runs_and_drops_what_a_changing_run_no_longer_uses(tmp_path):
    path = tmp_path / "memo"
    first = PatternMemo(path)
    assert first.remember("expression", "a\nb", lambda: "(?:a|b)") == "(?:a|b)"
    first.remember("expression", "old", lambda: "stale")
    first.save()

    second = PatternMemo(path)
    assert second.remember("expression", "a\nb", lambda: pytest.fail("recomputed")) == "(?:a|b)"
    assert second.compiled("ab+").fullmatch("abbb")
    second.save()  # it added the compiled code: what it did not use goes

    third = PatternMemo(path)
    assert sorted(key.split(":")[0] for key in third.entries) == ["code", "expression"]
    assert third.remember("expression", "old", lambda: "recomputed") == "recomputed"


def test_damaged_pattern_memo_only_costs_recomputing(tmp_path):
    path = tmp_path / "memo"
    path.write_bytes(b"\x00garbage")
    assert PatternMemo(path).remember("expression", "x", lambda: "fresh") == "fresh"


def test_yaml_kept_in_the_memo_reads_back_the_same_data_and_lines(tmp_path, monkeypatch):
    from contratcheck.engine import yamlload

    path = tmp_path / "regles.yaml"
    path.write_text("rules:\n  - id: a\n    match: {pattern: x}\n    tags: [1, 2.5, true, null]\n", encoding="utf-8")
    plain = yamlload.load_yaml(path)
    with remembering(tmp_path / "memo"):
        yamlload.load_yaml(path)
    monkeypatch.setattr(yamlload, "_parsed", lambda *_: pytest.fail("parsed again"))
    with remembering(tmp_path / "memo"):
        kept = yamlload.load_yaml(path)
    assert kept == plain
    assert (kept.line, kept["rules"][0].line, kept["rules"][0]["match"].line) == (1, 2, 3)


def test_yaml_with_a_value_the_memo_cannot_keep_is_parsed_each_time(tmp_path):
    from contratcheck.engine.yamlload import load_yaml

    path = tmp_path / "regles.yaml"
    path.write_text("pack: essai\nversion: 2025-01-01\n", encoding="utf-8")
    with remembering(tmp_path / "memo"):
        assert load_yaml(path) == load_yaml(path)
    assert not (tmp_path / "memo").exists()  # nothing could be kept


def test_readme_lists_the_catalogue():
    """The README's rule table names every rule of the pack, with its severity and title."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\w+) \| (.+?) \|$", readme, re.M)
    assert rows == [(r.id, r.severity.value, r.title) for r in RULES]
