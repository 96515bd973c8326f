"""The service behind the commands: every command honours the same settings; formats are a registry;
the bugs found while giving the code its layers."""

from __future__ import annotations

import inspect
import json
import pkgutil
import re

import pytest
import yaml

from conftest import SAMPLES
from contratcheck import report
from contratcheck.engine import yamlload
from contratcheck.engine.loader import load_pack
from contratcheck.engine.run import audit_document
from contratcheck.extract import read_extraction
from contratcheck.report import GRIDS, REPORTS, SHEETS, GridFormat, ReportFormat, SheetFormat
from contratcheck.text.assemble import build_document
from contratcheck.text.scan import PatternMemo, _code, compile_pattern, remembering
from test_hostile import SLOW_RULE, encrypted_pdf, scanned_pdf

# --- One service: what drifted between audit, compare and fiche ----------------------------------


def test_fiche_checks_the_configuration_as_audit_does(cli, tmp_path):
    (tmp_path / "contratcheck.toml").write_text('disable = ["regle-inexistante"]\n', encoding="utf-8")
    for command in ("audit", "fiche"):
        result = cli(command, SAMPLES / "contrat-sain.txt", cwd=tmp_path)
        assert result.returncode == 2 and "règle inconnue « regle-inexistante »" in result.stderr, command


def test_fiche_stops_a_document_at_the_time_limit(cli, tmp_path):
    (tmp_path / "regle.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (tmp_path / "piege.txt").write_text("Le Client : " + "a" * 60 + " c\n", encoding="utf-8")
    result = cli("fiche", "piege.txt", "--rules", "regle.yaml", "--timeout", "2", "--format", "json", cwd=tmp_path)
    document = json.loads(result.stdout)["documents"][0]
    assert result.returncode == 2 and document["status"] == "error" and "2 s" in document["error"]


def test_compare_opens_protected_offers(cli, tmp_path):
    encrypted_pdf(tmp_path / "protege.pdf", user="secret")
    offers = (tmp_path / "protege.pdf", SAMPLES / "contrat-sain.pdf")
    assert cli("compare", *offers, "--format", "csv").returncode == 2  # unread without the password
    assert cli("compare", *offers, "--format", "csv", "--password", "secret").returncode == 0
    (tmp_path / "contratcheck.toml").write_text('[passwords]\n"protege.pdf" = "secret"\n', encoding="utf-8")
    assert cli("compare", "protege.pdf", SAMPLES / "contrat-sain.pdf", "--format", "csv", cwd=tmp_path).returncode == 0


def test_compare_reads_scanned_offers_with_ocr(cli, tmp_path):
    path = scanned_pdf(tmp_path / "scan.pdf", ["ARTICLE 5 - SECURITE", "Le Prestataire ne fournit pas de pare-feu."])
    assert cli("compare", path, SAMPLES / "contrat-sain.pdf", "--format", "csv").returncode == 2  # no text without OCR
    assert cli("compare", path, SAMPLES / "contrat-sain.pdf", "--format", "csv", "--ocr").returncode == 0


# --- Formats as a registry -----------------------------------------------------------------------


@pytest.mark.parametrize(("formats", "registry"), [(ReportFormat, REPORTS), (SheetFormat, SHEETS), (GridFormat, GRIDS)])
def test_every_format_has_a_renderer_and_every_renderer_a_format(formats, registry):
    assert set(registry) == set(formats)
    for renderer in registry.values():
        assert callable(renderer.load())
    renderers = {(r.module, r.function) for r in registry.values()}
    function = next(iter(registry.values())).function
    modules = [m.name for m in pkgutil.iter_modules(report.__path__)]
    defining = {(name, function) for name in modules
                if function in dict(inspect.getmembers(__import__(f"contratcheck.report.{name}", fromlist=["_"])))
                and (function != "render" or name.startswith("grid_"))}
    assert defining == renderers  # no renderer module left out of the registry


# --- The four bugs -------------------------------------------------------------------------------


class _PurePythonLoader(yaml.SafeLoader):
    """PyYAML without libyaml, as on a machine where the C extension is missing."""


_PurePythonLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlload._mapping)


def test_the_default_pack_loads_with_the_pure_python_yaml_loader(monkeypatch):
    with_libyaml = load_pack([])
    monkeypatch.setattr(yamlload, "_Loader", _PurePythonLoader)
    rules, figures = load_pack([])
    assert [r.id for r in rules] == [r.id for r in with_libyaml[0]]
    assert [f.id for f in figures] == [f.id for f in with_libyaml[1]]


MONEY_RULE = """rules:
  - id: prix-eleve
    severity: mineur
    title: Prix élevé
    condition: Un prix mensuel au-delà de 1 000 €.
    kind: threshold
    match: {all: [{pattern: prix}, {value: money}]}
    value: {type: money, max: 1000}
    message: Le prix de {value} dépasse {max}.
    why: Comparer.
    demand: Un prix plus bas.
    question: Pouvez-vous baisser le prix ?
    examples:
      fires: ["Le prix mensuel est de 1 500 € HT."]
      passes: ["Le prix mensuel est de 900 € HT."]
"""


def test_a_money_threshold_is_quoted_in_euros(cli, tmp_path):
    (tmp_path / "regle.yaml").write_text(MONEY_RULE, encoding="utf-8")
    (tmp_path / "offre.txt").write_text("Le Client paie au Prestataire un prix mensuel de 1 500 € HT.\n", encoding="utf-8")
    result = cli("audit", "offre.txt", "--rules", "regle.yaml", "--format", "json", cwd=tmp_path)
    finding = next(f for f in json.loads(result.stdout)["documents"][0]["findings"] if f["rule"] == "prix-eleve")
    assert finding["message"] == "Le prix de 1 500 € HT dépasse 1\u202f000 €."


def test_a_user_pack_uses_the_default_packs_definitions(cli, tmp_path):
    rule = MONEY_RULE.replace("{all: [{pattern: prix}, {value: money}]}", "$gtr_terme").replace("kind: threshold", "kind: required")
    rule = rule.replace("    value: {type: money, max: 1000}\n", "")
    rule = rule.replace('fires: ["Le prix mensuel est de 1 500 € HT."]', 'fires: ["Aucun engagement."]')
    rule = rule.replace('passes: ["Le prix mensuel est de 900 € HT."]', 'passes: ["La GTR est de 4 heures."]')
    (tmp_path / "regle.yaml").write_text(rule, encoding="utf-8")
    result = cli("rules", "test", "regle.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rules_test_names_the_file_and_line_of_a_failing_example(cli, tmp_path):
    broken = MONEY_RULE.replace('passes: ["Le prix mensuel est de 900 € HT."]', 'passes:\n        - {text: "Le prix est de 2 000 €."}')
    (tmp_path / "regle.yaml").write_text(broken, encoding="utf-8")
    result = cli("rules", "test", "regle.yaml", cwd=tmp_path)
    line = broken.splitlines().index('        - {text: "Le prix est de 2 000 €."}') + 1
    assert result.returncode == 1
    assert re.search(rf"^regle\.yaml:{line} : ÉCHEC prix-eleve \[passes\]", result.stdout, re.M), result.stdout


# --- The pattern memo and the regex-engine code it keeps -----------------------------------------


def test_kept_regex_code_is_checked_against_this_interpreter():
    assert _code.usable()  # CPython here: the shortcut is taken, so the tests below exercise it
    expression = r"(?<![a-z0-9])(?:gtr|d[ée]lai (?:de )?r[ée]tablissement)(?![a-z0-9])"
    rebuilt = _code.rebuild(expression, _code.generate(expression))
    assert rebuilt.findall("la gtr et le délai de rétablissement") == ["gtr", "délai de rétablissement"]
    assert _code.rebuild(expression, [0, [1, 2, 3], 0, {}, []]).pattern == expression  # damaged code: recompiled


def _findings(rules, path):
    document = build_document(path.name, read_extraction(path))
    return [(f.rule, f.message, [(e.start, e.end) for e in f.evidence]) for f in audit_document(document, rules)]


def test_findings_are_the_same_with_the_memo_and_without(tmp_path):
    memo = tmp_path / "memo"
    first, second = load_pack([], memo=memo)[0], load_pack([], memo=memo)[0]  # the second reads what the first kept
    assert any(key.startswith("code:") for key in PatternMemo(memo).entries)
    without = load_pack([], memo=None)[0]
    for name in ("contrat-risque.txt", "contrat-sain.txt", "contrat-gtr-intervention.txt"):
        assert _findings(first, SAMPLES / name) == _findings(second, SAMPLES / name) == _findings(without, SAMPLES / name)


def test_no_memo_is_written_under_no_cache(cli, tmp_path):
    cache = tmp_path / "cache"
    environment = {"CONTRATCHECK_CACHE_DIR": str(cache)}
    result = cli("audit", SAMPLES / "contrat-sain.txt", "--no-cache", "--format", "json", env=environment)
    assert result.returncode == 0 and not list(cache.rglob("*.marshal"))
    cli("audit", SAMPLES / "contrat-sain.txt", "--format", "json", env=environment)
    assert list(cache.rglob("*.marshal"))


def test_a_compiled_pattern_does_not_depend_on_the_memo(tmp_path):
    source = "d[ée]lais? d'intervention"
    plain = compile_pattern(source)
    with remembering(tmp_path / "memo"):
        first = compile_pattern(source)
    with remembering(tmp_path / "memo"):
        second = compile_pattern(source)
    text = "le delai d'intervention et les delais d'intervention"  # folded text: no accents
    assert plain.pattern == first.pattern == second.pattern
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in second.finditer(text)] == [(3, 23), (31, 52)]


def test_find_tries_only_where_a_pattern_can_begin_and_finds_what_finditer_finds():
    from contratcheck.text.scan import analyse, find

    source = "d[ée]lais? d'(intervention|retablissement)|gtr"
    pattern, starts = compile_pattern(source), analyse(source).prefixes
    assert starts == ("delai d'inte", "delai d'reta", "delais d'int", "delais d'ret", "gtr")
    text = "la gtr, le delai d'intervention ; les delais d'retablissement, agtr et sgtr ne comptent pas"
    expected = [m.span() for m in pattern.finditer(text)]
    assert find(pattern, text, starts) == find(pattern, text) == expected and len(expected) == 3
