"""A contract read as several files, through the installed command: --ensemble, --par-dossier,
[[contrats]] in contratcheck.toml; and links to folders inside an audited folder."""

from __future__ import annotations

import json
from pathlib import Path

from test_set_reports import GENERAL

SLA = (
    "Annexe SLA du contrat entre le Prestataire et le Client.\n\n"
    "Le délai d'intervention est de 1 heure. Le délai de rétablissement est de 4 heures pour un incident bloquant.\n\n"
    "Les frais de déplacement sont facturés en sus, sur devis.\n"
)


def _pieces(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    general, sla = folder / "1-conditions-generales.txt", folder / "2-annexe-sla.txt"
    general.write_text(GENERAL, encoding="utf-8")
    sla.write_text(SLA, encoding="utf-8")
    return general, sla


def _report(cli, *arguments, cwd: Path | None = None) -> dict:
    result = cli("audit", *arguments, "--format", "json", "--fail-on", "none", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def _units(payload: dict) -> dict[str, dict]:
    """Name -> entry of each unit audited: the contracts made of several files (`contracts`, or
    before that list existed the `documents` entry named after the set), and the files read alone."""
    contracts = {c["name"]: c for c in payload.get("contracts") or []}
    pieces = {piece for c in contracts.values() for piece in c.get("pieces") or []}
    return contracts | {d["path"]: d for d in payload["documents"] if d["path"] not in pieces}


def _rules(entry: dict) -> set[str]:
    return {f["rule"] for f in entry["findings"]}


def test_ensemble_reads_the_pieces_as_one_contract(cli, tmp_path):
    general, sla = _pieces(tmp_path / "dupont")
    alone = _units(_report(cli, general))
    assert "gtr-absente" in _rules(alone[general.as_posix()])  # the CG alone state no resolution delay
    units = _units(_report(cli, general, sla, "--ensemble"))
    assert list(units) == [(tmp_path / "dupont").as_posix()]  # one unit, named after the pieces' folder
    found = _rules(units[(tmp_path / "dupont").as_posix()])
    assert "gtr-absente" not in found and "gti-absente" not in found  # held by the SLA annex
    assert "interlocuteur-unique-absent" not in found and "penalites-absentes" not in found  # held by the CG


def test_par_dossier_makes_one_contract_per_sub_folder(cli, tmp_path):
    offers = tmp_path / "offres"
    _pieces(offers / "lot-1")
    _pieces(offers / "lot-2")
    (offers / "seul.txt").write_text(GENERAL, encoding="utf-8")
    units = _units(_report(cli, offers, "--par-dossier"))
    assert sorted(units) == [f"{offers.as_posix()}/lot-1", f"{offers.as_posix()}/lot-2", f"{offers.as_posix()}/seul.txt"]
    assert "gtr-absente" not in _rules(units[f"{offers.as_posix()}/lot-1"])
    assert "gtr-absente" in _rules(units[f"{offers.as_posix()}/seul.txt"])  # a file directly in the folder stays alone


def test_contrats_in_the_configuration_group_by_glob_from_a_sub_folder(cli, tmp_path):
    _pieces(tmp_path / "pieces" / "dupont")
    (tmp_path / "pieces" / "autre.txt").write_text(GENERAL, encoding="utf-8")
    (tmp_path / "contratcheck.toml").write_text(
        '[[contrats]]\nnom = "Maintenance Dupont"\npieces = ["pieces/dupont/*.txt"]\n', encoding="utf-8")
    units = _units(_report(cli, ".", cwd=tmp_path / "pieces"))  # the globs are read from the configuration's folder
    assert sorted(units) == ["Maintenance Dupont", "autre.txt"]
    assert "gtr-absente" not in _rules(units["Maintenance Dupont"])
    assert "gtr-absente" in _rules(units["autre.txt"])


def test_ensemble_and_par_dossier_together_are_refused_in_french(cli, tmp_path):
    general, sla = _pieces(tmp_path / "dupont")
    result = cli("audit", general, sla, "--ensemble", "--par-dossier")
    assert result.returncode == 2
    assert "--ensemble et --par-dossier s'excluent" in result.stderr and "Traceback" not in result.stderr


def test_an_excerpt_names_the_piece_that_holds_it(cli, tmp_path):
    general, sla = _pieces(tmp_path / "dupont")
    units = _units(_report(cli, general, sla, "--ensemble"))
    fees = next(f for f in units[(tmp_path / "dupont").as_posix()]["findings"] if f["rule"] == "frais-hors-forfait")
    quoted = [e for e in fees["evidence"] if "facturés en sus" in e["excerpt"]]
    assert quoted and {e["path"] for e in quoted} == {sla.as_posix()}  # the piece, as the audit names it


def test_links_to_folders_are_reported_not_followed_nor_dropped(cli, tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "contrat-cache.txt").write_text(GENERAL, encoding="utf-8")
    folder = tmp_path / "offres"
    folder.mkdir()
    (folder / "contrat.txt").write_text(GENERAL, encoding="utf-8")
    (folder / "annexe.pdf").symlink_to(outside, target_is_directory=True)
    (folder / "copie.txt").symlink_to(outside, target_is_directory=True)  # a second link to the same folder
    (folder / "notes").symlink_to(outside, target_is_directory=True)  # no contract suffix: not a candidate
    result = cli("audit", folder, "--format", "json", "--fail-on", "none")
    assert result.returncode == 2, result.stderr  # a folder left unread
    codes = {d["path"].rsplit("/", 1)[-1]: (d["error"] or {}).get("code") for d in json.loads(result.stdout)["documents"]}
    assert codes == {"annexe.pdf": "unreadable-folder", "contrat.txt": None, "copie.txt": "unreadable-folder"}


def test_compare_par_dossier_shows_where_an_offers_pieces_disagree(cli, tmp_path):
    for offer, durations in (("offre-a", ("douze (12) mois", "douze (12) mois")),
                             ("offre-b", ("trente-six (36) mois", "douze (12) mois"))):
        for piece, duration in zip(("cg.txt", "cp.txt"), durations):
            (tmp_path / offer).mkdir(exist_ok=True)
            (tmp_path / offer / piece).write_text(
                f"Article 1 – Durée\n\nLe contrat entre le Client et le Prestataire est conclu pour une durée de {duration}.\n",
                encoding="utf-8")
    result = cli("compare", tmp_path, "--par-dossier", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "offre-a" in line)
    assert "offre-b" in header  # one column per sub-folder
    assert "ne dit pas laquelle prévaut" in result.stdout  # offre-b's pieces disagree, offre-a's agree
    assert result.stdout.count("ne dit pas laquelle prévaut") == 1
    solo = tmp_path / "solo"
    solo.mkdir()
    (tmp_path / "offre-a").rename(solo / "offre-a")
    refused = cli("compare", solo, "--par-dossier")  # its pieces make one offer: nothing to compare
    assert refused.returncode == 2 and "forment un seul contrat" in refused.stderr
