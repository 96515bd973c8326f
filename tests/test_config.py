"""Project configuration, suppressions with reasons and expiry, and the baseline."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES
from contratcheck.errors import ConfigError
from contratcheck.service.config import load_settings


@pytest.fixture
def project(tmp_path):
    (tmp_path / "contrats" / "fournisseur-a").mkdir(parents=True)
    shutil.copy(SAMPLES / "contrat-sain.txt", tmp_path / "contrats" / "fournisseur-a" / "sain.txt")
    shutil.copy(SAMPLES / "contrat-risque.txt", tmp_path / "contrats" / "risque.txt")
    return tmp_path


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_config_found_walking_up_and_cli_wins(project, cli):
    write(project / "contratcheck.toml", 'fail-on = "none"\ndisable = ["frais-hors-forfait"]\n[thresholds]\ngtr_max_heures = 8\n')
    nested = project / "contrats"
    settings = load_settings(nested)
    assert settings.fail_on == "none" and settings.source("fail_on") == "contratcheck.toml"
    assert cli("audit", ".", cwd=nested).returncode == 0  # fail-on none from the file
    assert cli("audit", ".", "--fail-on", "critique", cwd=nested).returncode == 1  # the option wins
    shown = cli("config", cwd=nested)
    assert shown.returncode == 0 and "fail-on" in shown.stdout and "contratcheck.toml" in shown.stdout
    payload = json.loads(cli("audit", "fournisseur-a", "--format", "json", cwd=nested).stdout)
    assert payload["documents"][0]["findings"] == []  # frais-hors-forfait disabled


def test_pyproject_table_and_thresholds_change_verdicts(project, cli, tmp_path):
    write(project / "pyproject.toml", "[tool.contratcheck]\n[tool.contratcheck.thresholds]\ngtr_max_heures = 2\n")
    contract = write(project / "gtr.txt", "Le délai de rétablissement est de 3 heures pour un incident critique.\n")
    payload = json.loads(cli("audit", contract, "--format", "json", cwd=project).stdout)
    finding = next(f for f in payload["documents"][0]["findings"] if f["rule"] == "gtr-trop-longue")
    assert "2 heures" in finding["message"]


@pytest.mark.parametrize(("text", "message"), [
    ('fail-on = "grave"\n', "fail-on"),
    ('couleur = "bleu"\n', "clé inconnue « couleur »"),
    ('disable = ["regle-inexistante"]\n', "règle inconnue « regle-inexistante »"),
    ("[thresholds]\nlicornes = 3\n", "seuil inconnu « licornes »"),
    ("fail-on = \n", "illisible"),
])
def test_bad_config_is_a_french_error(project, cli, text, message):
    write(project / "contratcheck.toml", text)
    result = cli("audit", "contrats", cwd=project)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_bad_config_raises_config_error(tmp_path):
    write(tmp_path / "contratcheck.toml", "jobs = 0\n")
    with pytest.raises(ConfigError, match="jobs"):
        load_settings(tmp_path)


def test_suppressions_need_a_reason_expire_and_are_counted(project, cli):
    write(project / ".contratcheck-ignore.yaml", """ignore:
  - document: "contrats/fournisseur-a/*"
    rule: frais-hors-forfait
    reason: Tarif horaire négocié à part (avenant n° 2).
  - document: "contrats/risque.txt"
    rule: engagement-long
    reason: Durée acceptée par la direction.
    expires: 2020-01-31
""")
    payload = json.loads(cli("audit", "contrats", "--format", "json", cwd=project).stdout)
    sain = next(d for d in payload["documents"] if d["path"].endswith("sain.txt"))
    risque = next(d for d in payload["documents"] if d["path"].endswith("risque.txt"))
    assert sain["findings"] == [] and sain["suppressed"][0]["reason"].startswith("Tarif horaire")
    assert any(f["rule"] == "engagement-long" for f in risque["findings"])  # expired: no longer suppressed
    assert payload["summary"]["suppressed"] == 1
    assert any("a expiré le 31/01/2020" in n for n in payload["notices"])
    text = cli("audit", "contrats", cwd=project).stdout
    assert "[ignoré]" in text and "a expiré" in text


def test_suppression_without_reason_is_refused(project, cli):
    write(project / ".contratcheck-ignore.yaml", "ignore:\n  - document: '*'\n    rule: gtr-absente\n")
    result = cli("audit", "contrats", cwd=project)
    assert result.returncode == 2 and "reason" in result.stderr


def test_baseline_reports_only_new_findings(project, cli):
    first = cli("audit", "contrats", "--format", "json", "--output", "base.json", cwd=project)
    assert first.returncode == 1
    again = cli("audit", "contrats", "--format", "json", "--baseline", "base.json", cwd=project)
    payload = json.loads(again.stdout)
    assert again.returncode == 0 and all(d["findings"] == [] for d in payload["documents"])
    assert payload["summary"]["suppressed"] == sum(len(d["findings"]) for d in json.loads((project / "base.json").read_text("utf-8"))["documents"])


def test_config_command_shows_the_compare_settings(tmp_path, cli):
    (tmp_path / "contratcheck.toml").write_text("[compare]\ncout-horaire = 300\n[compare.poids]\nhoraires = 4\n", "utf-8")
    done = cli("config", cwd=tmp_path)
    line = next(line for line in done.stdout.splitlines() if line.startswith("compare"))
    assert "cout-horaire=300" in line and "poids.horaires=4" in line and "contratcheck.toml" in line


def test_config_shows_default_thresholds_and_checks_names_as_audit_does(cli, tmp_path):
    shown = cli("config", cwd=tmp_path)
    assert shown.returncode == 0 and "gtr_max_heures=4 heures (défaut)" in shown.stdout
    (tmp_path / "contratcheck.toml").write_text("[thresholds]\ngtr_max_heure = 8\n", encoding="utf-8")
    config, audit = cli("config", cwd=tmp_path), cli("audit", SAMPLES / "contrat-sain.txt", cwd=tmp_path)
    assert config.returncode == audit.returncode == 2
    assert "seuil inconnu « gtr_max_heure »" in config.stderr and config.stderr == audit.stderr
    (tmp_path / "contratcheck.toml").write_text('rules = ["absent/"]\n[thresholds]\ngtr_max_heures = 8\n', encoding="utf-8")
    missing = cli("config", cwd=tmp_path)
    assert missing.returncode == 0 and "Attention" in missing.stderr and "introuvable" in missing.stderr
    assert "gtr_max_heures=8," in missing.stdout
