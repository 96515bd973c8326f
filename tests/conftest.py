"""Shared fixtures: the installed CLI, generated documents, and a text-to-findings helper."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import docgen
from contratcheck.engine.loader import load_rules
from contratcheck.engine.run import audit_document
from contratcheck.extract.text import extract_text
from contratcheck.model import Format
from contratcheck.text.assemble import build_document

# The tests (and the commands they run) keep their extraction cache out of the user's cache folder.
os.environ["CONTRATCHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="contratcheck-tests-")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def rules():
    return load_rules([], default=True)


@pytest.fixture(scope="session")
def findings_of(rules):
    """Rule ids that fire on a plain-text contract."""

    def run(text: str) -> set[str]:
        document = build_document("t.txt", extract_text(text.encode("utf-8"), Format.TXT))
        return {f.rule for f in audit_document(document, rules)}

    return run


def _entry_point() -> str:
    found = shutil.which("contratcheck", path=str(Path(sys.executable).parent)) or shutil.which("contratcheck")
    assert found, "the contratcheck entry point is not installed in this environment"
    return found


# As on a user's machine, Python keeps the bytecode it compiles: some sandboxes and CI images set
# PYTHONDONTWRITEBYTECODE, and every command would then compile the package again (0.03 to 0.05 s).
USER_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@pytest.fixture(scope="session")
def cli():
    """Run the installed `contratcheck` command, as a user would."""
    executable = _entry_point()

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        env = {**USER_ENV, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})}
        return subprocess.run([executable, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)

    return run


@pytest.fixture
def make(tmp_path):
    """Render a docgen source (markup text) to `name` in tmp_path; the suffix picks the format."""

    def build(name: str, source: str, **meta) -> Path:
        parsed = docgen.parse_source(source)
        parsed = docgen.Source({**parsed.meta, **meta}, parsed.blocks)
        path = tmp_path / name
        writer = {".pdf": docgen.write_pdf, ".docx": docgen.write_docx, ".md": docgen.write_md}.get(path.suffix, docgen.write_txt)
        writer(parsed, path)
        return path

    return build
