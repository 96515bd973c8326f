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
    scandir = os.scandir

    def refusing(path):  # root reads every folder: refuse one as a user would see it
        if os.fspath(path).endswith("prive"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", refusing)
    found = [display for _, display in discovery.discover([folder])]
    assert found == [f"{folder.as_posix()}/contrat-sain.txt", f"{folder.as_posix()}/prive"]
    from contratcheck.engine.loader import load_rules
    from contratcheck.service.pipeline import audit_file

    result = audit_file(folder / "prive", "offres/prive", load_rules([]))
    assert result.status.value == "error" and result.error.code == "unreadable-folder"


def test_a_cache_entry_of_the_wrong_shape_is_a_miss_not_an_error(cli, tmp_path):
    environment = {"CONTRATCHECK_CACHE_DIR": str(tmp_path / "cache")}
    first = cli("audit", SAMPLES / "contrat-sain.pdf", "--format", "json", env=environment)
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 1
    payload = json.loads(entries[0].read_text("utf-8"))
    payload["blocks"][0][1] = 42  # well-formed JSON, wrong type
    entries[0].write_text(json.dumps(payload), encoding="utf-8")
    again = cli("audit", SAMPLES / "contrat-sain.pdf", "--format", "json", env=environment)
    assert again.returncode == first.returncode == 0 and again.stdout == first.stdout


def test_a_pattern_memo_edited_by_hand_is_ignored(tmp_path):
    import marshal

    from contratcheck.engine.loader import load_pack
    from contratcheck.text.scan import PatternMemo

    memo = tmp_path / "memo"
    rules = load_pack([], memo=memo)[0]
    form, digest, entries = marshal.loads(memo.read_bytes())
    kept = marshal.loads(entries)
    for key in [k for k in kept if k.startswith("expression:")]:
        kept[key] = "(?!)"  # well-formed, wrong: no pattern would ever match
    memo.write_bytes(marshal.dumps((form, digest, marshal.dumps(kept))))
    assert PatternMemo(memo).entries == {}
    again = load_pack([], memo=memo)[0]
    assert [r.checks[0].match for r in again] != [] and len(again) == len(rules)
    text = (SAMPLES / "contrat-risque.txt").read_text("utf-8")
    from contratcheck.engine.run import audit_document
    from contratcheck.extract.text import extract_text
    from contratcheck.model import Format
    from contratcheck.text.assemble import build_document

    document = build_document("t.txt", extract_text(text.encode("utf-8"), Format.TXT))
    assert [f.rule for f in audit_document(document, again)] == [f.rule for f in audit_document(document, rules)]


def test_a_text_that_is_not_a_contract_gets_no_verdict(cli, tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Offres\n\nCe dossier rassemble les offres reçues pour la consultation.\n",
                                       encoding="utf-8")
    (tmp_path / "README.md").write_text("# Offres\n\nCe dossier rassemble les offres reçues pour la consultation.\n",
                                        encoding="utf-8")
    shutil.copy(SAMPLES / "contrat-sain.txt", tmp_path)
    result = cli("audit", tmp_path, "--format", "json", "--fail-on", "none")
    documents = {d["path"].split("/")[-1]: d for d in json.loads(result.stdout)["documents"]}
    for name in ("x.txt", "notes.md"):
        assert documents[name]["error"]["code"] == "not-a-contract" and not documents[name]["findings"], name
    assert "README.md" not in documents  # a folder's README is skipped (discovery.is_project_file)
    assert documents["contrat-sain.txt"]["status"] == "ok" and documents["contrat-sain.txt"]["findings"]
    assert "ce n'est pas un contrat" in cli("audit", tmp_path / "README.md").stdout


def test_a_folder_nested_a_thousand_deep_is_audited(cli, tmp_path, monkeypatch):
    folder = tmp_path / "profond"
    folder.mkdir()
    monkeypatch.chdir(folder)  # one level at a time: a path this long is refused by the system in one piece
    for _ in range(1100):
        os.mkdir("a")
        os.chdir("a")
    shutil.copy(SAMPLES / "contrat-sain.txt", "contrat.txt")
    try:
        result = cli("audit", "profond", "--format", "json", "--fail-on", "none", cwd=tmp_path)
        assert result.returncode == 0 and "Traceback" not in result.stderr
        assert [d["status"] for d in json.loads(result.stdout)["documents"]] == ["ok"]
    finally:  # from the bottom up: shutil.rmtree (pytest's clean-up) recurses and would fail on it
        os.remove("contrat.txt")
        for _ in range(1100):
            os.chdir("..")
            os.rmdir("a")
