"""Suppressions and the baseline name files, not the text typed: an audit from the project root,
from a sub-folder (`../contrats/…`) or with absolute paths leaves out the same findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES

IGNORE = """ignore:
  - document: "contrats/*.txt"
    rule: engagement-long
    reason: Durée acceptée par la direction.
  - document: "contrats/fournisseur-a/*"
    rule: frais-hors-forfait
    reason: Tarif horaire négocié à part.
"""
RISKY, SOUND = "contrats/risque.txt", "contrats/fournisseur-a/sain.txt"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "projet"
    (root / "contrats" / "fournisseur-a").mkdir(parents=True)
    (root / "sub").mkdir()
    shutil.copy(SAMPLES / "contrat-risque.txt", root / RISKY)
    shutil.copy(SAMPLES / "contrat-sain.txt", root / SOUND)
    return root


def _paths(root: Path, where: str) -> tuple[Path, list[str]]:
    """The folder an audit runs in and how it names the two contracts, for `where`."""
    if where == "root":
        return root, [RISKY, SOUND]
    if where == "sub":
        return root / "sub", [f"../{RISKY}", f"../{SOUND}"]
    return root / "sub", [str(root / RISKY), str(root / SOUND)]


def _audit(cli, cwd: Path, *args: str) -> dict:
    done = cli("audit", *args, "--format", "json", "--fail-on", "none", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _suppressed(payload: dict) -> dict[str, list[str]]:
    """For each document, by file name, the rules left out."""
    return {Path(d["path"]).name: sorted(s["rule"] for s in d["suppressed"]) for d in payload["documents"]}


@pytest.mark.parametrize("where", ["root", "sub", "absolute"])
def test_ignore_globs_are_relative_to_the_ignore_file(project, cli, where):
    (project / ".contratcheck-ignore.yaml").write_text(IGNORE, encoding="utf-8")
    cwd, paths = _paths(project, where)
    payload = _audit(cli, cwd, *paths)
    assert _suppressed(payload) == {"risque.txt": ["engagement-long"], "sain.txt": ["frais-hors-forfait"]}
    assert payload["summary"]["suppressed"] == 2
    assert [d["path"] for d in payload["documents"]] == paths  # still reported as typed


def test_ignore_glob_from_inside_the_folder_it_names(project, cli):
    (project / ".contratcheck-ignore.yaml").write_text(IGNORE, encoding="utf-8")
    payload = _audit(cli, project / "contrats", "risque.txt", ".")
    assert _suppressed(payload) == {"risque.txt": ["engagement-long"], "sain.txt": ["frais-hors-forfait"]}


def test_ignore_glob_does_not_match_a_path_typed_alike_elsewhere(project, cli):
    """From sub/, `contrats/risque.txt` is sub/contrats/risque.txt, not the file the glob names."""
    (project / ".contratcheck-ignore.yaml").write_text(IGNORE, encoding="utf-8")
    (project / "sub" / "contrats").mkdir()
    shutil.copy(SAMPLES / "contrat-risque.txt", project / "sub" / RISKY)
    payload = _audit(cli, project / "sub", RISKY)
    assert payload["summary"]["suppressed"] == 0


def test_ignore_for_a_document_outside_the_project_uses_the_path_as_typed(project, cli, tmp_path):
    (project / ".contratcheck-ignore.yaml").write_text(IGNORE.replace("contrats/*.txt", "*.txt"), encoding="utf-8")
    elsewhere = tmp_path / "ailleurs" / "offre.txt"
    elsewhere.parent.mkdir()
    shutil.copy(SAMPLES / "contrat-risque.txt", elsewhere)
    payload = _audit(cli, project, str(elsewhere))
    assert _suppressed(payload) == {"offre.txt": ["engagement-long"]}


def _findings(payload: dict) -> int:
    return sum(len(d["findings"]) for d in payload["documents"])


def _baseline(cli, cwd: Path, target: str, *paths: str) -> int:
    """Write a baseline with `--output target` from `cwd`; the number of findings it holds."""
    done = cli("audit", *paths, "--format", "json", "--fail-on", "none", "--output", target, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return _findings(json.loads((cwd / target).read_text(encoding="utf-8")))


@pytest.mark.parametrize("where", ["root", "sub", "absolute"])
def test_baseline_paths_are_relative_to_the_baseline_file(project, cli, where):
    total = _baseline(cli, project, "base.json", "contrats")
    assert total > 10
    cwd, paths = _paths(project, where)
    payload = _audit(cli, cwd, *paths, "--baseline", str(project / "base.json"))
    assert _findings(payload) == 0 and payload["summary"]["suppressed"] == total


@pytest.mark.parametrize("where", ["root", "sub", "absolute"])
def test_baseline_kept_in_another_folder(project, cli, where):
    """Written from the root into ci/: its paths reach no file from ci/, so they are read from the
    current folder (root) or, from elsewhere, matched as the end of the documents' paths."""
    (project / "ci").mkdir()
    total = _baseline(cli, project, "ci/base.json", "contrats")
    cwd, paths = _paths(project, where)
    payload = _audit(cli, cwd, *paths, "--baseline", str(project / "ci" / "base.json"))
    assert payload["summary"]["suppressed"] == total


def test_baseline_written_with_absolute_paths(project, cli):
    total = _baseline(cli, project / "sub", "../base.json", str(project / "contrats"))
    payload = _audit(cli, project, RISKY, SOUND, "--baseline", "base.json")
    assert payload["summary"]["suppressed"] == total


def test_baseline_entry_naming_a_file_does_not_cover_another_with_the_same_ending(project, cli):
    total = _baseline(cli, project, "base.json", "contrats")
    copy = project / "archives" / RISKY
    copy.parent.mkdir(parents=True)
    shutil.copy(project / RISKY, copy)
    payload = _audit(cli, project, "contrats", "archives", "--baseline", "base.json")
    by_path = {d["path"]: d for d in payload["documents"]}
    assert payload["summary"]["suppressed"] == total
    assert by_path[f"archives/{RISKY}"]["suppressed"] == [] and by_path[f"archives/{RISKY}"]["findings"]
