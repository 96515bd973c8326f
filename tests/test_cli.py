"""The installed `contratcheck` command, as a user runs it: exit codes, formats, folders, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import SAMPLES
from test_pack import CATALOGUE

SCHEMA = json.loads(resources.files("contratcheck").joinpath("data/report.schema.json").read_text("utf-8"))
SAFE = "Le délai d'intervention est de 2 heures. Le délai de rétablissement est de 4 heures.\n"


def test_version_and_help_are_french(cli):
    assert cli("--version").stdout.strip() == "contratcheck 1.2.0"
    result = cli("audit", "--help")
    assert result.returncode == 0
    assert "Auditer un ou plusieurs contrats" in result.stdout and "Afficher cette aide et quitter." in result.stdout


def test_risky_sample_fails_with_exit_1(cli):
    result = cli("audit", SAMPLES / "contrat-risque.pdf")
    assert result.returncode == 1, result.stderr
    assert "gtr-absente" in result.stdout and "Traceback" not in result.stderr


def test_fail_on_thresholds(cli, tmp_path):
    path = tmp_path / "contrat.txt"
    path.write_text(SAFE + "Une licorne garde le serveur.\n", encoding="utf-8")
    assert cli("audit", path, "--fail-on", "none").returncode == 0
    assert cli("audit", path, "--fail-on", "critique").returncode == 1  # penalties, reversibility... absent
    only_info = tmp_path / "info.yaml"
    only_info.write_text((SAMPLES.parent / "tests" / "data" / "info-rule.yaml").read_text("utf-8"), encoding="utf-8")
    assert cli("audit", path, "--no-default-rules", "--rules", only_info, "--fail-on", "majeur").returncode == 0
    assert cli("audit", path, "--no-default-rules", "--rules", only_info, "--fail-on", "info").returncode == 1


def test_json_output_file_validates(cli, tmp_path):
    output = tmp_path / "rapport.json"
    result = cli("audit", SAMPLES / "contrat-sain.docx", "--format", "json", "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    payload = json.loads(output.read_text("utf-8"))
    jsonschema.validate(payload, SCHEMA)
    assert payload["documents"][0]["path"].endswith("contrat-sain.docx")


def test_folder_mode_sorted_with_a_corrupt_pdf(cli, tmp_path):
    folder = tmp_path / "offres"
    (folder / "sous").mkdir(parents=True)
    shutil.copy(SAMPLES / "contrat-sain.pdf", folder / "b-sain.pdf")
    shutil.copy(SAMPLES / "contrat-risque.txt", folder / "sous" / "a-risque.txt")
    (folder / "c-casse.pdf").write_bytes(b"%PDF-1.7\n%tronque")
    (folder / "notes.yaml").write_text("ignoré: oui", encoding="utf-8")
    result = cli("audit", "offres", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, SCHEMA)
    assert [d["path"] for d in payload["documents"]] == ["offres/b-sain.pdf", "offres/c-casse.pdf", "offres/sous/a-risque.txt"]
    broken = payload["documents"][1]
    assert broken["status"] == "error" and broken["error"]["code"] == "corrupt" and "PDF" in broken["error"]["message"]
    assert payload["documents"][2]["findings"], "the other files are still audited"
    assert payload["summary"]["errors"] == 1


def test_json_is_identical_across_runs(cli):
    first = cli("audit", SAMPLES, "--format", "json").stdout
    assert first == cli("audit", SAMPLES, "--format", "json").stdout


def test_bad_rule_file_is_a_french_error_with_exit_2(cli, tmp_path):
    bad = tmp_path / "regles.yaml"
    bad.write_text("rules:\n  - id: x\n    severity: majeur\n    titre: faute\n", encoding="utf-8")
    result = cli("audit", SAMPLES / "contrat-sain.txt", "--rules", bad)
    assert result.returncode == 2
    assert "clé inconnue « titre »" in result.stderr and "ligne 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2_in_french(cli):
    result = cli("audit", SAMPLES, "--format", "xml")
    assert result.returncode == 2 and "Erreur" in result.stderr and "Traceback" not in result.stderr
    assert cli("audit", SAMPLES, "--bogus").returncode == 2


def test_missing_path_is_reported_not_fatal(cli, tmp_path):
    result = cli("audit", tmp_path / "absent.pdf", SAMPLES / "contrat-sain.txt", "--format", "json")
    assert result.returncode == 2
    documents = json.loads(result.stdout)["documents"]
    assert documents[0]["error"]["code"] == "not-found" and documents[1]["status"] == "ok"


def test_rules_list_show_and_test(cli):
    listing = cli("rules", "list", "--format", "json")
    assert listing.returncode == 0
    assert sorted(rule["id"] for rule in json.loads(listing.stdout)) == sorted(CATALOGUE)
    shown = cli("rules", "show", "gtr-confondue-gti")
    assert shown.returncode == 0 and "Se déclenche quand" in shown.stdout and "Exemples qui déclenchent" in shown.stdout
    assert "Étiquettes" not in shown.stdout
    assert "Étiquettes : security, cybersécurité" in cli("rules", "show", "edr-absent").stdout
    assert cli("rules", "show", "inconnue").returncode == 2
    tested = cli("rules", "test")
    assert tested.returncode == 0 and "0 échec" in tested.stdout


def test_rules_test_reports_failing_examples(cli, tmp_path):
    rule = (SAMPLES.parent / "tests" / "data" / "info-rule.yaml").read_text("utf-8")
    path = tmp_path / "faux.yaml"
    path.write_text(rule.replace("passes: [Le Prestataire fournit un pare-feu.]", "passes: [Il y a une licorne.]"), encoding="utf-8")
    result = cli("rules", "test", path)
    assert result.returncode == 1 and "ÉCHEC licorne-presente [passes]" in result.stdout


def test_checklist(cli):
    result = cli("checklist")
    assert result.returncode == 0
    assert result.stdout.count("Règles liées") == 9


def test_extract_offsets_match_the_json_report(cli, tmp_path):
    path = SAMPLES / "contrat-risque.pdf"
    text = cli("extract", path)
    assert text.returncode == 0 and "[page 1" in text.stderr
    payload = json.loads(cli("audit", path, "--format", "json").stdout)
    for finding in payload["documents"][0]["findings"]:
        for evidence in finding["evidence"]:
            assert text.stdout[evidence["start"]:evidence["end"]].strip() == evidence["excerpt"].rstrip("…").strip()


def test_several_formats_at_once(cli, tmp_path):
    from contratcheck.report import ReportFormat

    outputs = [f"--output={name}={tmp_path / ('r.' + name)}" for name in ReportFormat if name != "rich"]
    result = cli("audit", SAMPLES / "contrat-risque.txt", *outputs)
    assert result.returncode == 1 and "Synthèse" in result.stdout  # rich still on standard output
    for name in ReportFormat:
        if name != "rich":
            assert (tmp_path / f"r.{name}").read_text("utf-8").strip(), name
    assert cli("audit", SAMPLES, "--output", "xml=r.xml").returncode == 2


def test_par_regle_view(cli):
    result = cli("audit", SAMPLES, "--par-regle")
    assert "Par règle" in result.stdout and "gtr-absente" in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_standard_output_is_a_french_error_not_a_traceback():
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = subprocess.run([sys.executable, "-m", "contratcheck", "audit", str(SAMPLES / "contrat-sain.txt"),
                                 "--format", "json"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2
    assert "impossible d'écrire le rapport sur la sortie standard" in result.stderr and "Traceback" not in result.stderr


def test_an_output_file_takes_the_format_of_its_extension(cli, tmp_path):
    sample = SAMPLES / "contrat-sain.txt"
    assert cli("audit", sample, "-o", tmp_path / "r.html").returncode == 0
    assert (tmp_path / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert cli("audit", sample, "-o", tmp_path / "r.json").returncode == 0
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["documents"]
    assert cli("audit", sample, "-o", tmp_path / "r.md").returncode == 0
    assert (tmp_path / "r.md").read_text("utf-8").startswith("# Rapport contratcheck")
    for mismatch in (["-f", "json", "-o", tmp_path / "x.html"], ["-o", f"html={tmp_path / 'x.json'}"]):
        result = cli("audit", sample, *mismatch)
        assert result.returncode == 2 and "ne s'ouvrirait pas" in result.stderr, mismatch
    assert not list(tmp_path.glob("x.*"))
