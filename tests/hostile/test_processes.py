"""Workers and signals: nothing hangs, nothing is left behind, memory stays bounded."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from conftest import SAMPLES, _entry_point
from test_hostile import SLOW_RULE

TRAP = "Le Client : " + "a" * 60 + " c\n"


def _trapped_folder(tmp_path: Path) -> Path:
    """A normal contract, then three whose text makes the slow rule hang (in a folder of their own)."""
    (tmp_path / "lot").mkdir()
    (tmp_path / "regle.yaml").write_text(SLOW_RULE, encoding="utf-8")
    (tmp_path / "lot" / "a-normal.txt").write_text("Contrat entre le Prestataire et le Client, sans rien de plus.\n", encoding="utf-8")
    for number in range(3):
        (tmp_path / "lot" / f"b-piege{number}.txt").write_text(TRAP, encoding="utf-8")
    return tmp_path


def _start(tmp_path: Path, *arguments: str) -> tuple[subprocess.Popen, Path]:
    cache = tmp_path / "cache"
    process = subprocess.Popen([_entry_point(), *arguments, "--rules", "regle.yaml", "--format", "json"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1", "CONTRATCHECK_CACHE_DIR": str(cache)})
    return process, cache


def _wait_for_trap(process: subprocess.Popen, cache: Path) -> None:
    """With one worker, a trap is read only once the normal contract's result is back: wait for
    the trap's text to reach the extraction cache (an event, not a delay)."""
    trap = hashlib.sha256(TRAP.encode()).hexdigest()
    deadline = time.monotonic() + 60
    while not list(cache.rglob(f"{trap}*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)


def test_sigterm_reports_what_was_done_and_leaves_no_temporary_file(tmp_path):
    folder = _trapped_folder(tmp_path)
    process, cache = _start(folder, "audit", "lot", "--jobs", "1", "-o", f"markdown={tmp_path / 'rapport.md'}")
    _wait_for_trap(process, cache)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 143 and "Traceback" not in stderr
    payload = json.loads(stdout)
    assert [d["path"] for d in payload["documents"]] == ["lot/a-normal.txt"]
    assert any("interrompu" in n for n in payload["notices"])
    assert "a-normal.txt" in (tmp_path / "rapport.md").read_text("utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


def test_fiche_stops_on_ctrl_c_with_the_sheets_done(tmp_path):
    folder = _trapped_folder(tmp_path)
    process, cache = _start(folder, "fiche", "lot", "--jobs", "1")
    _wait_for_trap(process, cache)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrompu" in stderr.lower()
    assert [d["path"] for d in json.loads(stdout)["documents"]] == ["lot/a-normal.txt"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_their_parent(tmp_path):
    folder = _trapped_folder(tmp_path)
    process, _ = _start(folder, "audit", "lot", "--jobs", "2")
    deadline = time.monotonic() + 30
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.kill()  # SIGKILL: the parent has no chance to stop them itself
    process.communicate(timeout=30)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def test_a_document_over_the_memory_limit_is_reported_and_the_batch_goes_on(cli, tmp_path):
    line = "Le Prestataire assure la maintenance du parc et intervient sous quatre heures. " * 10 + "\n"
    (tmp_path / "gros.txt").write_text(line * 25000, encoding="utf-8")  # 20 MB of text
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmemory-mb = 100\n", encoding="utf-8")
    result = cli("audit", "gros.txt", SAMPLES / "contrat-sain.txt", "--format", "json", "--no-cache", cwd=tmp_path)
    documents = json.loads(result.stdout)["documents"]
    assert result.returncode == 2 and documents[0]["error"]["code"] == "memory"
    assert documents[1]["status"] == "ok" and documents[1]["findings"]


def test_extract_reads_in_a_bounded_worker_too(cli, tmp_path):
    line = "Le Prestataire assure la maintenance du parc et intervient sous quatre heures. " * 10 + "\n"
    (tmp_path / "gros.txt").write_text(line * 25000, encoding="utf-8")  # 20 MB of text
    (tmp_path / "contratcheck.toml").write_text("[limits]\nmemory-mb = 60\n", encoding="utf-8")
    result = cli("extract", "gros.txt", cwd=tmp_path)
    assert result.returncode == 2 and "memory-mb" in result.stderr and "Traceback" not in result.stderr
    assert cli("extract", SAMPLES / "contrat-sain.txt", cwd=tmp_path).returncode == 0


def test_a_refused_fork_is_a_clear_error(monkeypatch):
    import pytest

    from contratcheck import service
    from contratcheck.errors import ResourceError
    from contratcheck.service import batch

    def refused(*args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable")  # what ulimit -u gives

    monkeypatch.setattr(batch, "_Worker", refused)
    run = service.prepare([SAMPLES / "contrat-sain.txt", SAMPLES / "contrat-risque.txt"], service.Choices(jobs=2))
    with pytest.raises(ResourceError, match="refuse de créer"):
        service.execute(run)
