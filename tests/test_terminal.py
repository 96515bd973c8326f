"""The terminal report in a pipe: width, trailing spaces, lists, the summary's names, --quiet, stdin."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import SAMPLES, _entry_point
from contratcheck.model import Report
from contratcheck.report import render
from test_reports import REPORT

SCHEMA = json.loads(resources.files("contratcheck").joinpath("data/report.schema.json").read_text("utf-8"))
SAFE = "Le délai d'intervention est de 2 heures. Le délai de rétablissement est de 4 heures.\n"


def _run(*args: object, stdin: bytes | None = None, columns: str | None = "100",
         cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([_entry_point(), *map(str, args)], input=stdin, capture_output=True, env=env,
                          timeout=120, cwd=cwd)


@pytest.mark.parametrize(("columns", "width"), [("72", 72), ("140", 140), (None, 100)])
def test_pipe_width_follows_columns_and_no_line_ends_with_spaces(columns, width):
    lines = _run("audit", SAMPLES / "contrat-risque.txt", columns=columns).stdout.decode().splitlines()
    assert max(map(len, lines)) == width
    assert [line for line in lines if line != line.rstrip()] == []


def test_coloured_lines_lose_their_padding_too():
    text = render("rich", REPORT, color=True, width=100)
    assert "\x1b[" in text
    assert not re.search(r" +(\x1b\[[0-9;]*m)*$", text, re.M)


def test_wrapped_list_items_stay_under_their_text():
    lines = _run("audit", SAMPLES / "contrat-risque.txt", columns="60").stdout.decode().splitlines()
    start = lines.index("Questions à poser au prestataire avant de signer")
    items = lines[start + 1:lines.index("", start)]
    assert any(line.startswith("  • ") for line in items)
    continued = [line for line in items if not line.startswith("  • ") and not line.startswith("Réponses")]
    assert continued and all(line.startswith("    ") for line in continued)


def test_summary_names_files_by_what_tells_them_apart(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("fr_le_bourget_infogerance_ccap.txt", "fr_le_bourget_infogerance_cctp.txt",
                 "fr_le_bourget_infogerance_annexe_securite.txt"):
        (folder / name).write_text(SAFE, encoding="utf-8")
    output = _run("audit", "corpus", "--quiet", cwd=tmp_path).stdout.decode()
    assert "Synthèse (chemins dans corpus/)" in output
    column = "".join(line.split("│")[1].strip() for line in output.splitlines() if line.startswith("│ "))
    for name in ("fr_le_bourget_infogerance_ccap.txt", "fr_le_bourget_infogerance_cctp.txt"):
        assert name in column  # whole, even where it had to wrap
    assert "…" not in output


def test_quiet_prints_the_summary_and_the_exit_reason_only():
    result = _run("audit", SAMPLES / "contrat-risque.txt", "--quiet")
    output = result.stdout.decode()
    assert result.returncode == 1
    assert "Synthèse" in output and "gtr-absente" not in output and "Questions à poser" not in output
    assert output.rstrip().splitlines()[-1].startswith("Code de sortie 1 : ")


@pytest.mark.parametrize(("fail_on", "code", "reason"), [
    ("majeur", 1, "Code de sortie 1 : 14 points de gravité « majeur » ou plus (seuil --fail-on)."),
    ("none", 0, "Code de sortie 0 : --fail-on none, aucun point ne fait échouer l'audit."),
])
def test_the_report_ends_with_the_reason_of_its_exit_code(fail_on, code, reason):
    result = _run("audit", SAMPLES / "contrat-risque.txt", "--fail-on", fail_on)
    assert result.returncode == code
    assert result.stdout.decode().rstrip().splitlines()[-1] == reason


def test_an_unreadable_document_is_the_reason_for_exit_2(tmp_path):
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(b"%PDF-1.4 tronque")
    result = _run("audit", broken, SAMPLES / "contrat-sain.txt", "-q")
    assert result.returncode == 2
    assert result.stdout.decode().rstrip().endswith("Code de sortie 2 : 1 document n'a pas pu être audité.")


@pytest.mark.parametrize("sample", ["contrat-risque.pdf", "contrat-risque.docx", "contrat-risque.txt"])
def test_a_contract_is_read_from_standard_input(sample):
    piped = _run("audit", "-", "-f", "json", stdin=(SAMPLES / sample).read_bytes())
    named = _run("audit", SAMPLES / sample, "-f", "json")
    assert piped.returncode == named.returncode == 1, piped.stderr.decode()
    document = json.loads(piped.stdout)["documents"][0]
    assert document["path"] == "(entrée standard)"
    assert document["format"] == sample.rsplit(".", 1)[1]
    assert [f["rule"] for f in document["findings"]] == [f["rule"] for f in json.loads(named.stdout)["documents"][0]["findings"]]


def test_standard_input_copy_is_removed_and_empty_input_is_an_error(tmp_path):
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    result = subprocess.run([_entry_point(), "audit", "-", "-q"], input=b"", capture_output=True, timeout=120,
                            env={**os.environ, "TMPDIR": str(env_tmp), "NO_COLOR": "1", "COLUMNS": "100"})
    assert result.returncode == 2
    assert "(entrée standard) : Le fichier est vide. (code : empty)" in result.stdout.decode()
    assert list(env_tmp.iterdir()) == []


def test_json_lists_documents_by_rule_only_when_asked():
    plain = json.loads(_run("audit", SAMPLES, "-f", "json").stdout)
    grouped = json.loads(_run("audit", SAMPLES, "-f", "json", "--par-regle").stdout)
    assert "by_rule" not in plain
    fired = {f["rule"]: [] for d in plain["documents"] for f in d["findings"]}
    for document in plain["documents"]:
        for rule in dict.fromkeys(f["rule"] for f in document["findings"]):
            fired[rule].append(document["path"])
    assert {entry["rule"]: entry["documents"] for entry in grouped["by_rule"]} == fired
    Draft202012Validator(SCHEMA).validate(grouped)


def test_empty_report_renders(tmp_path: Path):
    text = render("rich", Report("1.0.0", ()), quiet=True, ending="Code de sortie 0 : rien.")
    assert text.rstrip().endswith("Code de sortie 0 : rien.")
