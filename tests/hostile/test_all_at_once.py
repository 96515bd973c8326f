"""Every hostile file at once, beside good contracts, at --jobs 2: each gets its code, the good
contracts get the findings they get alone, and nothing is left behind."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import _entry_point
from corpus import GOOD, build

FORMATS = ("json", "sarif", "junit", "html", "markdown", "csv")


def _audit(arguments, cwd, environment):
    return subprocess.run([_entry_point(), "audit", *arguments, "--fail-on", "none"], capture_output=True, cwd=cwd,
                          env=environment, timeout=300)


def test_the_hostile_folder_in_one_run(tmp_path):
    expected = build(tmp_path / "lot")
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmemory-mb = 100\nmax-zip-mb = 50\ntimeout = 60\n",
                                                encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    environment = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_path / "tmp"),
                   "CONTRATCHECK_CACHE_DIR": str(tmp_path / "cache")}
    outputs = [f"-o{fmt}=rapport.{fmt}" for fmt in FORMATS]
    result = _audit(["lot", "--jobs", "2", *outputs], tmp_path, environment)
    assert result.returncode == 2 and b"Traceback" not in result.stderr, result.stderr
    documents = {os.path.basename(d["path"]): d for d in json.loads((tmp_path / "rapport.json").read_text("utf-8"))["documents"]}
    assert set(documents) == set(expected)
    codes = {name: (d["error"] or {}).get("code") for name, d in documents.items()}
    assert codes == expected
    for fmt in FORMATS:
        (tmp_path / f"rapport.{fmt}").read_text("utf-8")  # written, and valid UTF-8
    for name in GOOD:  # the same findings as when audited alone
        alone = json.loads(_audit([f"lot/{name}", "--format", "json"], tmp_path, environment).stdout)["documents"][0]
        assert documents[name]["findings"] == alone["findings"], name
    assert os.listdir(tmp_path / "tmp") == []  # no temporary file left behind
    assert not [p for p in tmp_path.glob("*.tmp")] and not list((tmp_path / "lot").glob(".*"))
