"""Hostile rule packs, settings, ignore files and baselines: a French error and exit code 2, at once.

Each case used to hang, exhaust memory or end in a traceback. The commands run with a short
timeout of their own, so that a regression fails in seconds instead of freezing the suite.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import time

import pytest
import yaml

from conftest import SAMPLES, _entry_point
from contratcheck.engine import yamlload
from contratcheck.engine.loader import load_rules
from contratcheck.errors import ConfigError, RuleFileError
from contratcheck.service import suppress
from contratcheck.service.config import load_settings
from contratcheck.service.globs import matches
from test_hostile import SLOW_RULE as RULE

# A trap for the rule above: the regex tries every way to split 60 « a » before failing on « c ».
TRAP = "a" * 60 + " c"
BOMB = "".join(f"{name}: &{name} [" + ",".join([f"*{previous}" if previous else '"lol"'] * 9) + "]\n"
               for previous, name in zip([None, *"abcdefgh"], "abcdefghi"))  # 9**9 values once expanded
STARS = "*a" * 13 + "*b"  # fourteen stars: hours of backtracking for a regular expression


def run(*args, cwd, timeout: float = 10) -> subprocess.CompletedProcess[str]:
    """The installed command, killed (and the test failed) after `timeout` seconds."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([_entry_point(), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> bool:
    return (result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.startswith("Erreur : ")
            and all(word in result.stderr for word in words))


# --- 1. YAML aliases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["regles.yaml", "pack.yaml"])
def test_an_alias_bomb_in_a_rule_file_or_a_manifest_is_refused_at_once(tmp_path, name):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "regles.yaml").write_text(RULE, encoding="utf-8")
    (pack / name).write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 400
    started = time.monotonic()
    result = run("rules", "list", "--rules", "pack", cwd=tmp_path)
    assert time.monotonic() - started < 8
    assert refused(result, name, "ligne 2", "alias YAML « *a » refusé"), result.stderr


def test_an_alias_bomb_in_the_ignore_file_is_refused_at_once(tmp_path):
    shutil.copy(SAMPLES / "contrat-sain.txt", tmp_path)
    (tmp_path / ".contratcheck-ignore.yaml").write_text(BOMB + "ignore: *i\n", encoding="utf-8")
    result = run("audit", "contrat-sain.txt", cwd=tmp_path)
    assert refused(result, ".contratcheck-ignore.yaml, ligne 2", "alias YAML"), result.stderr


class PurePython(yaml.SafeLoader):
    """PyYAML without libyaml, as on a machine where the C extension is missing."""


PurePython.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlload._mapping)


def test_even_a_small_alias_is_refused_with_the_pure_python_loader_too(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlload, "_Loader", PurePython)
    path = tmp_path / "regles.yaml"
    path.write_text(RULE.replace('match: {pattern: "(a|aa)+b"}', "match: &m {pattern: b}\n    also: [{kind: forbidden, match: *m}]"),
                    encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"ligne 8 : alias YAML « \*m » refusé"):
        load_rules([path], default=False)


# --- 2. Globs in linear time ---------------------------------------------------------------------------


def test_a_glob_of_fourteen_stars_is_linear(tmp_path):
    (tmp_path / "offres").mkdir()
    shutil.copy(SAMPLES / "contrat-risque.txt", tmp_path / "offres" / ("a" * 40 + ".txt"))
    (tmp_path / ".contratcheck-ignore.yaml").write_text(
        f'ignore:\n  - {{document: "{STARS}", rule: engagement-long, reason: Accepté.}}\n', encoding="utf-8")
    started = time.monotonic()
    result = run("audit", "offres", "--exclude", STARS, "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 8 and result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["documents"][0]["path"].endswith("a.txt")
    started = time.monotonic()
    assert not matches("a" * 100_000 + "c", STARS) and matches("a" * 1000 + "b", STARS)
    assert time.monotonic() - started < 1


def _translated(pattern: str) -> re.Pattern[str]:
    """The former matcher: a regular expression (exponential on many stars, the reference on few)."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(table.get(p, re.escape(p)) for p in parts) + r"\Z", re.DOTALL)


def test_globs_keep_their_meaning():
    cases = [("contrats/fournisseur-a/sain.txt", "contrats/fournisseur-a/*", True), ("a/b/c.pdf", "*.pdf", True),
             ("archives/2023/x.pdf", "archives/**", True), ("archives", "archives/**", False),
             ("x/archives/y.pdf", "**/archives/*", True), ("archives/y.pdf", "**/archives/*", True),
             ("a/b.pdf", "a?b.pdf", False), ("ab/c", "a*/c", True), ("a/b/c", "a*/c", False), ("a/b/c", "a/**/c", True),
             ("a/c", "a/**/c", True), ("a/bc", "a/**c", True), ("[x].txt", "[x].txt", True), ("y.txt", "[xy].txt", False)]
    for path, pattern, expected in cases:
        assert matches(path, pattern) is expected, (path, pattern)
    draw = random.Random(7)
    for _ in range(20_000):
        pattern = "".join(draw.choice("ab/*?.") for _ in range(draw.randint(0, 7)))
        path = "".join(draw.choice("ab/.") for _ in range(draw.randint(0, 8)))
        expected = bool(_translated(pattern).match(path)) or ("/" not in pattern and bool(_translated(pattern).match(path.rsplit("/", 1)[-1])))
        assert matches(path, pattern) is expected, (path, pattern)


# --- 3. `rules test` under the audit's time limit --------------------------------------------------------


def test_rules_test_reports_an_example_that_hangs_its_rule(tmp_path):
    (tmp_path / "regle.yaml").write_text(RULE.replace("passes: [rien]", f"passes: [rien, {TRAP}]"), encoding="utf-8")
    result = run("rules", "test", "regle.yaml", "--timeout", "1", cwd=tmp_path, timeout=20)
    assert result.returncode == 1, result.stderr
    assert f"regle.yaml:13 : ÉCHEC motif-lent [passes] « {TRAP} » : pas de verdict au bout de 1 s" in result.stdout
    assert "3 exemples, 1 échec(s)" in result.stdout  # the other examples were still checked


def test_rules_test_takes_the_time_limit_of_the_configuration(tmp_path):
    (tmp_path / "contratcheck.toml").write_text("[limits]\ntimeout = 1\n", encoding="utf-8")
    (tmp_path / "regle.yaml").write_text(RULE.replace("fires: [aab]", f"fires: [aab, {TRAP}]"), encoding="utf-8")
    result = run("rules", "test", "regle.yaml", cwd=tmp_path, timeout=20)
    assert result.returncode == 1 and "ÉCHEC motif-lent [fires]" in result.stdout and "au bout de 1 s" in result.stdout
    assert refused(run("rules", "test", "regle.yaml", "--timeout", "nan", cwd=tmp_path), "--timeout", "« nan »")


# --- 4. Pipes and devices among the rules -----------------------------------------------------------------


def test_pipes_and_devices_among_the_rules_are_refused_unread(tmp_path):
    for name, make in [("tube.yaml", os.mkfifo), ("pack.yaml", os.mkfifo), ("zero.yaml", lambda p: os.symlink("/dev/zero", p))]:
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / "regles.yaml").write_text(RULE, encoding="utf-8")
        make(folder / name)
        result = run("rules", "list", "--rules", folder.name, cwd=tmp_path)
        assert refused(result, f"{folder.name}/{name}", "n'est pas un fichier ordinaire"), result.stderr
    result = run("rules", "test", "tube/tube.yaml", cwd=tmp_path)
    assert refused(result, "tube/tube.yaml", "n'est pas un fichier ordinaire"), result.stderr


# --- 5. Tracebacks turned into French errors ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1", "100000"])
def test_an_absurd_time_limit_in_the_configuration_is_refused(tmp_path, value):
    (tmp_path / "contratcheck.toml").write_text(f"[limits]\ntimeout = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="timeout vaut « .* », attendu un nombre positif d'au plus 86400 s"):
        load_settings(tmp_path)


def test_a_configuration_time_limit_of_inf_is_a_french_error(tmp_path):
    shutil.copy(SAMPLES / "contrat-sain.txt", tmp_path)
    (tmp_path / "contratcheck.toml").write_text("[limits]\ntimeout = inf\n[compare]\ncout-horaire = inf\n", encoding="utf-8")
    assert refused(run("audit", "contrat-sain.txt", cwd=tmp_path), "timeout vaut « inf »")
    (tmp_path / "contratcheck.toml").write_text("[compare]\ncout-horaire = inf\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nombres positifs ou nuls"):
        load_settings(tmp_path)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e300, 0.0, -5.0])
def test_a_time_limit_from_the_command_line_is_checked(value):
    from contratcheck.service.config import check_timeout

    with pytest.raises(ConfigError, match="--timeout attend un nombre de secondes positif"):
        check_timeout(value)
    assert check_timeout(None) is None and check_timeout(30.0) == 30.0


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    message:", "    references: 5\n    message:", "« references » attend une liste"),
    ("    message:", "    also: 5\n    message:", "« also » attend une liste"),
    ("kind: forbidden", "kind: [1]", "type de règle « [1] » inconnu"),
    ("message: Motif lent.", "message: '{value.x}'", "« message » : variable inconnue"),
    ('match: {pattern: "(a|aa)+b"}', "match: {1: a, b: c}", "condition sans type reconnu (clés : 1, b)"),
])
def test_a_value_of_the_wrong_type_is_a_rule_error(tmp_path, old, new, expected):
    path = tmp_path / "regles.yaml"
    path.write_text(RULE.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleFileError, match=re.escape(expected)):
        load_rules([path], default=False)


@pytest.mark.parametrize("text", ["ignore: " + "[" * 200 + "]" * 200 + "\n", "ignore: " + "[" * 5000 + "]" * 5000 + "\n"])
def test_a_deeply_nested_ignore_file_is_refused(tmp_path, text):
    path = tmp_path / suppress.IGNORE_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="ligne 1 : imbrication trop profonde"):
        suppress.load_ignore(path)


def test_a_deeply_nested_rule_file_is_refused_but_a_deep_condition_loads(tmp_path):
    path = tmp_path / "regles.yaml"
    path.write_text(RULE.replace('{pattern: "(a|aa)+b"}', "[" * 300 + "{pattern: b}" + "]" * 300), encoding="utf-8")
    with pytest.raises(RuleFileError, match="ligne 7 : imbrication trop profonde"):
        load_rules([path], default=False)
    path.write_text(RULE.replace('{pattern: "(a|aa)+b"}', "{all: [" * 29 + "{pattern: b}" + "]}" * 29), encoding="utf-8")
    assert load_rules([path], default=False)[0].id == "motif-lent"


def test_a_baseline_nested_too_deep_or_of_another_format_is_refused(tmp_path, cli):
    from contratcheck.report.json import SCHEMA_ID

    assert suppress.BASELINE_SCHEMA == SCHEMA_ID
    deep = tmp_path / "profond.json"
    nested = "[" * 100_000 + "]" * 100_000
    deep.write_text(f'{{"schema": "{SCHEMA_ID}", "documents": {nested}}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="imbrication trop profonde"):
        suppress.load_baseline(deep)
    report = {"schema": "contratcheck.report/2", "documents": [{"path": "a.txt", "findings": [{"rule": "gtr-absente"}]}]}
    other = tmp_path / "autre.json"
    other.write_text(json.dumps(report), encoding="utf-8")
    with pytest.raises(ConfigError, match="au format « contratcheck.report/2 » : cette version lit le format « contratcheck.report/1 »"):
        suppress.load_baseline(other)
    other.write_text(json.dumps({"documents": report["documents"]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="sans format déclaré"):
        suppress.load_baseline(other)
    shutil.copy(SAMPLES / "contrat-sain.txt", tmp_path)
    assert refused(cli("audit", "contrat-sain.txt", "--baseline", "profond.json", cwd=tmp_path), "imbrication trop profonde")
