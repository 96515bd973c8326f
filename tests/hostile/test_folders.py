"""Nothing in an audited folder is skipped without a word."""

from __future__ import annotations

import json
import os
import shutil

from conftest import SAMPLES
from contratcheck.service import discovery


def _codes(cli, folder):
    result = cli("audit", folder, "--format", "json", "--fail-on", "none")
    return result.returncode, {d["path"].split("/")[-1]: (d["error"] or {}).get("code") for d in json.loads(result.stdout)["documents"]}


def test_pipes_broken_links_and_link_loops_are_named_and_count_as_unreadable(cli, tmp_path):
    folder = tmp_path / "offres"
    folder.mkdir()
    shutil.copy(SAMPLES / "contrat-sain.txt", folder)
    os.mkfifo(folder / "tube.pdf")
    (folder / "casse.pdf").symlink_to(folder / "absent.pdf")
    (folder / "boucle.pdf").symlink_to(folder / "boucle.pdf")
    code, codes = _codes(cli, folder)
    assert code == 2
    assert codes["contrat-sain.txt"] is None
    assert codes["casse.pdf"] == "broken-link" and codes["boucle.pdf"] == "link-loop"
    assert codes["tube.pdf"] == "unsupported"  # refused without being read: reading a pipe would block


def test_an_unreadable_sub_folder_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "offres"
    (folder / "prive").mkdir(parents=True)
    shutil.copy(SAMPLES / "contrat-sain.txt", folder)
    walk = os.walk

    def refusing(top, onerror=None, **kwargs):  # root reads every folder: refuse one as a user would see it
        for root, folders, names in walk(top, onerror=onerror, **kwargs):
            if root.endswith("prive"):
                onerror(PermissionError(13, "Permission denied", root))
                continue
            yield root, folders, names

    monkeypatch.setattr(discovery.os, "walk", refusing)
    found = [display for _, display in discovery.discover([folder])]
    assert found == [f"{folder.as_posix()}/contrat-sain.txt", f"{folder.as_posix()}/prive"]
    from contratcheck.engine.loader import load_rules
    from contratcheck.service.pipeline import audit_file

    result = audit_file(folder / "prive", "offres/prive", load_rules([]))
    assert result.status.value == "error" and result.error.code == "unreadable-folder"
