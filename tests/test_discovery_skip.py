"""A folder's project files (README.md, SOURCES.md, CHANGELOG.md, LICENSE…) are not contracts: a
folder walk skips them, unless the user names them or an --include glob matches them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contratcheck.service.discovery import discover, is_project_file

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NOTES = "# Offres\n\nCe dossier rassemble les offres reçues pour la consultation.\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "offres"
    (root / "lot-2" / "docs").mkdir(parents=True)
    for name in ("README.md", "sources.md", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "lot-2/Authors.txt",
                 "lot-2/docs/readme.fr.md", "lot-2/License-MIT.md"):
        (root / name).write_text(NOTES, encoding="utf-8")
    for name in ("offre-a.txt", "lot-2/offre-b.md", "lot-2/readme-offre.txt", "licence-erp.pdf"):
        (root / name).write_text((SAMPLES / "contrat-sain.txt").read_text("utf-8"), encoding="utf-8")
    return root


def names(found) -> list[str]:
    return [display.split("offres/", 1)[1] for _, display in found]


def test_project_files_are_skipped_at_any_depth_whatever_their_case(folder):
    skipped: list[str] = []
    found = discover([folder], skipped=skipped)
    assert names(found) == ["licence-erp.pdf", "lot-2/offre-b.md", "lot-2/readme-offre.txt", "offre-a.txt"]
    assert sorted(path.split("offres/", 1)[1] for path in skipped) == [
        "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "README.md", "lot-2/Authors.txt", "lot-2/License-MIT.md",
        "lot-2/docs/readme.fr.md", "sources.md"]


def test_a_project_file_named_on_the_command_line_is_audited(folder):
    found = discover([folder, folder / "README.md"])
    assert "README.md" in names(found) and "sources.md" not in names(found)


def test_an_include_glob_that_matches_a_project_file_brings_it_back(folder):
    found = names(discover([folder], include=("*.md",)))  # a glob without "/" matches at any depth
    assert found == ["CHANGELOG.md", "CONTRIBUTING.md", "README.md", "lot-2/License-MIT.md", "lot-2/docs/readme.fr.md",
                     "lot-2/offre-b.md", "sources.md"]
    assert names(discover([folder], include=("README.md", "offre-*"))) == ["README.md", "lot-2/offre-b.md", "offre-a.txt"]
    assert names(discover([folder], include=("README.md",), exclude=("README.md",))) == []  # exclude still wins


@pytest.mark.parametrize(("name", "skipped"), [
    ("README.md", True), ("readme.txt", True), ("SOURCES.md", True), ("Changelog.markdown", True),
    ("LICENCE.md", True), ("COPYING.txt", True), ("CODE_OF_CONDUCT.md", True),
    ("README.pdf", False), ("licence-erp.docx", False), ("sources-offre.md", False), ("offre-readme.txt", False),
])
def test_only_notes_in_text_or_markdown_are_project_files(name, skipped):
    assert is_project_file(name) is skipped


def test_the_audit_of_a_folder_leaves_the_readme_out(cli, folder):
    result = cli("audit", folder, "--format", "json", "--fail-on", "none")
    audited = [document["path"].split("offres/", 1)[1] for document in json.loads(result.stdout)["documents"]]
    assert "README.md" not in audited and "offre-a.txt" in audited
    [notice] = [n for n in json.loads(result.stdout)["notices"] if "fichier(s) de projet" in n]
    assert notice.startswith("8 fichier(s)") and "--include" in notice  # skipped, but never without a word
    named = cli("audit", folder / "README.md", "--format", "json", "--fail-on", "none")
    assert [d["error"]["code"] for d in json.loads(named.stdout)["documents"]] == ["not-a-contract"]
