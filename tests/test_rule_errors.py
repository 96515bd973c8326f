"""A broken rule file is a French error naming file, rule and line — never a traceback."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contratcheck.engine.loader import load_rules
from contratcheck.errors import RuleFileError

GOOD = """\
rules:
  - id: clause-test
    severity: mineur
    title: Clause de test
    condition: Le mot « licorne » est absent.
    kind: required
    match: {pattern: "licornes?"}
    message: Aucune licorne.
    why: Pour tester.
    demand: Une licorne.
    question: Où est la licorne ?
    examples:
      fires: [Un cheval.]
      passes: [Une licorne.]
"""

CASES = {
    "yaml": (GOOD.replace("title: Clause de test", "title: [Clause"), "YAML invalide", None),
    "unknown-key": (GOOD.replace("    kind: required", "    kind: required\n    colour: bleu"), "clé inconnue « colour »", "clause-test"),
    "bad-regex": (GOOD.replace("licornes?\"}", "licorne(\"}"), "expression régulière invalide", "clause-test"),
    "missing-field": (GOOD.replace("    why: Pour tester.\n", ""), "champ obligatoire « why » manquant", "clause-test"),
    "unknown-kind": (GOOD.replace("kind: required", "kind: maybe"), "type de règle « maybe » inconnu", "clause-test"),
    "no-passes": (GOOD.replace("      passes: [Une licorne.]\n", ""), "au moins un exemple « passes »", "clause-test"),
    "bad-severity": (GOOD.replace("severity: mineur", "severity: grave"), "gravité « grave » inconnue", "clause-test"),
    "unknown-definition": (GOOD.replace("{pattern: \"licornes?\"}", "$licorne"), "définition inconnue « $licorne »", "clause-test"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_rule_file_names_file_rule_and_line(tmp_path, case):
    text, expected, rule_id = CASES[case]
    path = tmp_path / "regles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules([path], default=False)
    message = caught.value.message
    assert expected in message
    assert str(path) in message
    assert "ligne" in message
    if rule_id:
        assert f"règle « {rule_id} »" in message


def test_good_rule_file_loads(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (rule,) = load_rules([path], default=False)
    assert rule.id == "clause-test" and rule.line == 2


def test_duplicate_id_with_default_pack_is_an_error(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text(GOOD.replace("clause-test", "gtr-absente"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="déjà défini"):
        load_rules([path], default=True)


def test_definition_error_names_the_pack_file(tmp_path):
    (tmp_path / "pack.yaml").write_text(textwrap.dedent("""\
        pack: essai
        definitions:
          licorne: {pattern: "licorne("}
        """), encoding="utf-8")
    (tmp_path / "regles.yaml").write_text(GOOD.replace("{pattern: \"licornes?\"}", "$licorne"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules([tmp_path], default=False)
    assert "pack.yaml, ligne 3" in caught.value.message


def test_business_time_is_a_typed_value(tmp_path):
    """`basis: business` only counts durations in working time ("heures ouvrées", "J+1")."""
    rule = GOOD.replace('match: {pattern: "licornes?"}', "match: {value: duration, basis: business}")
    rule = rule.replace("kind: required", "kind: forbidden")
    rule = rule.replace("fires: [Un cheval.]", "fires: [Intervention sous 4 heures ouvrées.]")
    rule = rule.replace("passes: [Une licorne.]", "passes: [Intervention sous 4 heures.]")
    path = tmp_path / "ouvrees.yaml"
    path.write_text(rule, encoding="utf-8")
    from contratcheck.engine.examples import check_examples

    rules = load_rules([path], default=False)
    assert check_examples(rules) == []


YAML_PIECES = st.sampled_from([
    "rules:\n", "  - id: x\n", "    severity: majeur\n", "    kind: required\n", "    kind: forbidden\n",
    "    match: {pattern: 'a('}\n", "    match: {pattern: '(a+)+'}\n", "    match: $inconnu\n", "    match: [1, 2]\n",
    "    match: {value: duree}\n", "    match: {near: [a]}\n", "    examples: {fires: [a], passes: [b]}\n",
    "    title: T\n", "    unless: [y]\n", "definitions: {a: {pattern: a}}\n", "- [\n", "{{{\n", ": :\n", "\t\n",
    "    value: {type: duration, max: x}\n", "    also: 3\n", "!!python/object:os.system {}\n",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(YAML_PIECES, max_size=14).map("".join) | st.text(max_size=300))
def test_rule_loader_raises_only_its_own_error(tmp_path, text):
    path = tmp_path / "regles.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_rules([path], default=False)
    except RuleFileError as exc:
        assert exc.message.startswith(str(path))
