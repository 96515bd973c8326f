"""Reports never destroy what they are written over, and hostile names reach every format as text."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import threading
import xml.etree.ElementTree as ET

import pytest

from conftest import SAMPLES, _entry_point

FORMATS = ("json", "sarif", "junit", "markdown", "html", "csv")


@pytest.mark.parametrize("name", ["contrat-sain.pdf", "contrat-sain.txt", "contrat-sain.docx"])
def test_an_output_onto_an_audited_file_is_refused_before_any_work(cli, tmp_path, name):
    contract = tmp_path / name
    shutil.copy(SAMPLES / name, contract)
    before = contract.read_bytes()
    for command in (["audit", contract, "-o", f"json={contract}"], ["audit", contract, "-o", contract],
                    ["fiche", contract, "-o", contract],
                    ["compare", contract, SAMPLES / "contrat-risque.txt", "-o", contract]):
        result = cli(*command)
        assert result.returncode == 2 and "l'un des contrats audités" in result.stderr, command
        assert contract.read_bytes() == before, command


def test_an_output_inside_an_audited_folder_or_taken_twice_is_refused(cli, tmp_path):
    folder = tmp_path / "offres"
    folder.mkdir()
    shutil.copy(SAMPLES / "contrat-sain.txt", folder)
    inside = cli("audit", folder, "-o", f"json={folder / 'rapport.json'}")
    assert inside.returncode == 2 and "dossier audité" in inside.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["contrat-sain.txt"]
    twice = cli("audit", folder, "-o", f"json={tmp_path / 'r'}", "-o", f"html={tmp_path / 'r'}")
    assert twice.returncode == 2 and "même fichier" in twice.stderr and not (tmp_path / "r").exists()


def test_markup_in_names_and_rules_is_shown_as_text_and_every_file_is_written(cli, tmp_path):
    folder = tmp_path / "fournisseur["
    folder.mkdir()
    shutil.copy(SAMPLES / "contrat-sain.txt", folder / "offre].txt")
    shutil.copy(SAMPLES / "contrat-risque.txt", tmp_path / "offre [final].txt")
    rule = (SAMPLES.parent / "tests" / "data" / "info-rule.yaml").read_text("utf-8")
    (tmp_path / "regle.yaml").write_text(rule.replace("why: ", "why: Voir [/voir annexe] et [bold]. ", 1), encoding="utf-8")
    (tmp_path / "licorne.txt").write_text("Le Prestataire élève une licorne dans la salle serveur.\n", encoding="utf-8")
    outputs = [f"-o{fmt}={tmp_path / ('r.' + fmt)}" for fmt in ("sarif", "junit")]
    result = cli("audit", "fournisseur[", "offre [final].txt", "licorne.txt", "--rules", "regle.yaml", *outputs,
                 cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "offre [final].txt" in result.stdout and "fournisseur[/offre].txt" in result.stdout
    assert "Voir [/voir annexe] et [bold]." in result.stdout
    assert "Traceback" not in result.stderr
    for fmt in ("sarif", "junit"):
        assert (tmp_path / f"r.{fmt}").stat().st_size > 0


def test_a_link_keeps_pointing_at_its_file_and_a_pipe_is_written_into(cli, tmp_path):
    report = tmp_path / "rapport.json"
    report.write_text("ancien", encoding="utf-8")
    link = tmp_path / "lien.json"
    link.symlink_to(report)
    assert cli("audit", SAMPLES / "contrat-sain.txt", "-o", f"json={link}").returncode == 0
    assert link.is_symlink() and json.loads(report.read_text("utf-8"))["documents"]
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert cli("audit", SAMPLES / "contrat-sain.txt", "-o", f"json={fifo}").returncode == 0
    reader.join(30)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and json.loads(received[0])["documents"]


def test_a_new_report_gets_the_modes_of_the_umask(tmp_path):
    command = [_entry_point(), "audit", str(SAMPLES / "contrat-sain.txt"), "-o", f"json={tmp_path / 'r.json'}"]
    subprocess.run(command, capture_output=True, check=True, preexec_fn=lambda: os.umask(0o022))
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644


def test_names_that_are_not_utf8_or_hold_escapes_stay_lossless_and_valid(cli, tmp_path):
    name = b"nom\xff\x1b[31mrouge\xe2\x80\xae.txt"
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as stream:
        stream.write((SAMPLES / "contrat-sain.txt").read_bytes())
    outputs = [f"-o{fmt}={tmp_path.parent / (tmp_path.name + '.' + fmt)}" for fmt in FORMATS]
    result = subprocess.run([_entry_point(), "audit", os.fsencode(tmp_path), *outputs, "--fail-on", "none"],
                            capture_output=True, env={**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stdout and "\u202e".encode() not in result.stdout and b"\\udcff" in result.stdout
    written = {fmt: (tmp_path.parent / f"{tmp_path.name}.{fmt}").read_bytes() for fmt in FORMATS}
    for fmt, data in written.items():
        text = data.decode("utf-8")  # valid UTF-8 in every format
        assert "\x1b" not in text and "\u202e" not in text, fmt
    document = json.loads(written["json"])["documents"][0]
    assert os.fsencode(document["path"]).endswith(name)  # lossless: the very bytes of the name
    ET.fromstring(written["junit"])
    uri = json.loads(written["sarif"])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("nom%FF%1B%5B31mrouge%E2%80%AE.txt")
