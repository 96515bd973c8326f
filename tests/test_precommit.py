"""The pre-commit hook (.pre-commit-hooks.yaml): which files it audits, the `repo: local` form its
header documents, and one real `pre-commit run` when the pre-commit package is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLES

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def _hook() -> dict:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return hook


def _local_form() -> dict:
    """The `repo: local` configuration written in the manifest's header comment."""
    lines = [line[2:] for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.startswith("#  ")]
    start = next(i for i, line in enumerate(lines) if line.strip() == "- repo: local") - 1
    block = [lines[start]] + [line for line in lines[start + 1:] if line.startswith("    ")]
    (repo,) = yaml.safe_load("\n".join(block))["repos"]
    (hook,) = repo["hooks"]
    return hook


def _selected(path: str, hook: dict) -> bool:
    """What pre-commit does (commands/run.py, filter_by_include_exclude): `re.search` of both
    patterns on the path relative to the repository root, with "/"."""
    return bool(re.compile(hook["files"]).search(path)) and not re.compile(hook["exclude"]).search(path)


AUDITED = ["offre.pdf", "contrats/offre-a.PDF", "contrats/2024/annexe.docx", "notes/sla.txt", "contrats/offre.md",
           "contrats/readme-offre.md", "contrats/offre-readme.md", "licences/logiciel.pdf", "a.b/contrat.markdown"]
SKIPPED = ["README.md", "docs/README.md", "readme.markdown", "docs/guide/Readme.txt", "CHANGELOG.md",
           "CONTRIBUTING.md", "sub/contributing.rst", "SOURCES.md", "docs/sources.txt", "LICENSE.md", "LICENCE.txt",
           "AUTHORS.md", "CODE_OF_CONDUCT.md", "docs/code-of-conduct.md", "SECURITY.md", ".github/PULL_REQUEST_TEMPLATE.md",
           "contrats/.brouillons/offre.pdf", "contrats/~$offre.docx", "rapport.html", "contrat.doc", "contrats/offre.pdf.bak"]


@pytest.mark.parametrize("path", AUDITED)
def test_the_hook_audits_contracts_at_any_depth(path):
    assert _selected(path, _hook())


@pytest.mark.parametrize("path", SKIPPED)
def test_the_hook_skips_project_documents_hidden_files_and_other_formats(path):
    assert not _selected(path, _hook())


def test_the_local_form_in_the_header_is_the_hook():
    local, hook = _local_form(), _hook()
    assert (local["id"], local["name"]) == (hook["id"], hook["name"])
    assert (local["files"], local["exclude"], local["require_serial"]) == (hook["files"], hook["exclude"], hook["require_serial"])
    assert local["language"] == "system"
    assert local["entry"].split() == [*hook["entry"].split(), *hook["args"]] and "--quiet" in local["entry"].split()


def test_the_header_pins_a_release_tag():
    header = "\n".join(line for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert re.search(r"^#\s+rev: v\d+\.\d+\.\d+$", header, re.MULTILINE)


def test_pre_commit_accepts_the_manifest():
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(MANIFEST))
    assert hook["id"] == "contratcheck" and hook["args"] == ["--quiet"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _pre_commit_repo(tmp_path: Path) -> Path:
    """A Git work tree with a contract, a README under docs/ and a CONTRIBUTING.md, configured with
    the header's `repo: local` hook run by this environment's contratcheck."""
    repo = tmp_path / "depot"
    (repo / "contrats").mkdir(parents=True)
    (repo / "docs").mkdir()
    shutil.copy(SAMPLES / "contrat-risque.txt", repo / "contrats" / "offre.txt")
    (repo / "docs" / "README.md").write_text("# Documentation\n\nRien à auditer ici.\n", encoding="utf-8")
    (repo / "CONTRIBUTING.md").write_text("# Contribuer\n", encoding="utf-8")
    hook = _local_form()
    command = shutil.which("contratcheck", path=str(Path(sys.executable).parent))
    assert command, "the contratcheck entry point is not installed in this environment"
    hook["entry"] = hook["entry"].replace("contratcheck", command, 1)
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    return repo


def test_a_real_pre_commit_run_audits_the_contract_only(tmp_path):
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = _pre_commit_repo(tmp_path)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr  # the risky contract fails the hook
    assert "Synthèse (chemins dans contrats/)" in done.stdout and "offre.txt" in done.stdout
    assert "README" not in done.stdout and "CONTRIBUTING" not in done.stdout
    assert "Enjeu" not in done.stdout  # --quiet: the summary, not the full report
