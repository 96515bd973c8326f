"""`contratcheck compare`: the grid of the samples, its formats, configured weights, and errors."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import SAMPLES

PDFS = sorted(SAMPLES.glob("*.pdf"))
NNBSP = "\u202f"


def table_rows(markdown: str) -> dict[str, list[str]]:
    """Grid rows of a Markdown comparison: label -> cells, one per offer."""
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| **"):
            label, *cells = [cell.strip() for cell in line.strip("|").split(" | ")]
            rows[label] = cells
    return rows


@pytest.fixture(scope="module")
def samples_markdown(cli):
    result = cli("compare", *PDFS, "--cout-horaire", "300", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_samples_best_values_are_the_right_offers(samples_markdown):
    rows = table_rows(samples_markdown)
    assert rows[""] == ["contrat-gtr-intervention.pdf", "contrat-risque.pdf", "contrat-sain.pdf"]
    gtr = rows["GTR (délai de rétablissement)"]
    assert gtr[:2] == ["non trouvé", "non trouvé"] and gtr[2].startswith("**critique : quatre (4) heures")
    assert rows["GTI (délai d'intervention)"][1] == "24 heures (indicatif)"  # hedged: never the best
    assert rows["Prix mensuel"] == ["1 050 € HT", "**390 € HT**", "1 180 € HT"]
    assert rows["Préavis de résiliation"] == ["**trois (3) mois**", "six (6) mois", "**trois (3) mois**"]  # a tie
    assert rows["Disponibilité garantie"] == ["non trouvé"] * 3  # nobody states it: no best
    assert rows["Reconduction tacite"] == ["oui"] * 3  # everybody states the same: nobody's advantage
    assert rows["Lieu des sauvegardes"] == ["**copie hors site**", "sur site uniquement", "**copie hors site**"]


def test_samples_costs_and_assumptions_are_printed(samples_markdown):
    rows = table_rows(samples_markdown)
    incident = rows["Un arrêt critique (pire cas)"]
    assert incident[0].startswith(f"7{NNBSP}200 €<br>aucune GTR ferme : hypothèse de 24 h d'arrêt")
    assert incident[2].startswith(f"**1{NNBSP}200 €")  # the only firm GTR; assumptions never win this row
    assert rows["Total annuel estimé (prix + risque)"][2].startswith(f"15{NNBSP}360 €<br>14{NNBSP}160 € + 1 × 1{NNBSP}200 €")
    assert rows["Arrêt admis par la disponibilité, par an"][0] == "non chiffrable : aucun engagement de disponibilité"
    assert "## Hypothèses du coût estimé" in samples_markdown and "heures ouvrées" in samples_markdown


def test_samples_ranking_shows_its_reasons(samples_markdown):
    ranking = samples_markdown.split("## Classement")[1]
    order = [ranking.index(f"— contrat-{name}.pdf") for name in ("sain", "gtr-intervention", "risque")]
    assert order == sorted(order)
    assert "**1er — contrat-sain.pdf : 17,25 points**" in ranking
    assert "+3  GTR (délai de rétablissement) : meilleure valeur (critique : quatre (4) heures)" in ranking
    assert "−6  2 points critiques : Aucune garantie de temps de rétablissement (GTR) chiffrée" in ranking
    assert "critique −3, majeur −1" in samples_markdown  # the penalties used are printed


def test_whole_samples_folder_gives_one_column_per_contract(cli):
    result = cli("compare", *sorted(SAMPLES.iterdir()), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[""] == [f"contrat-{name} (docx, pdf, txt)" for name in ("gtr-intervention", "risque", "sain")]
    assert "samples/build.py" in result.stdout and "Un arrêt critique" not in result.stdout  # no hourly cost given


def test_rich_grid_fits_100_columns_and_stars_the_best(cli):
    result = cli("compare", *PDFS[1:])
    assert result.returncode == 0, result.stderr
    assert max(map(len, result.stdout.splitlines())) <= 100
    assert "★ 390 € HT" in result.stdout and "Classement" in result.stdout


def test_csv_opens_in_a_french_spreadsheet(cli, tmp_path):
    target = tmp_path / "grille.csv"
    result = cli("compare", *PDFS, "--format", "csv", "--output", target)
    assert result.returncode == 0 and result.stdout == ""
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["rubrique", "ligne", "contrat-gtr-intervention.pdf", "contrat-risque.pdf", "contrat-sain.pdf"]
    price = next(row for row in rows if row[1] == "Prix mensuel")
    assert price[2:] == ["1 050 € HT", "★ 390 € HT", "1 180 € HT"]
    assert all(len(row) == 5 for row in rows)


def test_html_is_one_escaped_page(cli, tmp_path):
    hostile = tmp_path / "<b>offre.txt"
    hostile.write_text("La redevance est de 500 € HT par mois.\n", encoding="utf-8")
    result = cli("compare", hostile, SAMPLES / "contrat-sain.txt", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "&lt;b&gt;offre.txt" in result.stdout and "<b>offre" not in result.stdout
    assert '<td class="best">★ 500 € HT</td>' in result.stdout and "<script" not in result.stdout


def test_project_weights_change_the_ranking(cli, tmp_path):
    (tmp_path / "a.txt").write_text("En cas d'incident critique, le Prestataire rétablit le service dans un délai"
                                    " de 4 heures.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Le support est joignable 24h/24, 7j/7.\n", encoding="utf-8")
    penalties = "[compare.penalites]\ncritique = 0\nmajeur = 0\n"
    (tmp_path / "contratcheck.toml").write_text(penalties, encoding="utf-8")
    default = cli("compare", "a.txt", "b.txt", "--format", "markdown", cwd=tmp_path).stdout
    assert "**1er — a.txt : 3 points**" in default and "2e — b.txt : 2 points" in default
    (tmp_path / "contratcheck.toml").write_text("[compare.poids]\nhoraires = 5\n" + penalties, encoding="utf-8")
    weighted = cli("compare", "a.txt", "b.txt", "--format", "markdown", cwd=tmp_path).stdout
    assert "**1er — b.txt : 5 points**" in weighted and "Plage de service 5" in weighted


def test_cost_assumptions_from_the_project_and_the_command_line_wins(cli, tmp_path):
    (tmp_path / "contratcheck.toml").write_text("[compare]\ncout-horaire = 100\ngtr-sans-engagement-heures = 10\n",
                                                encoding="utf-8")
    files = [SAMPLES / "contrat-risque.txt", SAMPLES / "contrat-sain.txt"]
    result = cli("compare", *files, "--format", "markdown", "--gtr-sans-engagement", "48", cwd=tmp_path).stdout
    assert f"hypothèse de 48 h d'arrêt × 100 €/h = 4{NNBSP}800 €" in result  # hourly cost from the file, hours given


@pytest.mark.parametrize(("config", "message"), [
    ("[compare.poids]\nlicorne = 2\n", "chiffre clé inconnu « licorne »"),
    ("[compare.penalites]\ngrave = 2\n", "gravités possibles critique, info, majeur, mineur"),
    ("[compare]\ncout-horaire = \"cher\"\n", "nombres positifs"),
])
def test_bad_compare_config_is_a_french_error(cli, tmp_path, config, message):
    (tmp_path / "contratcheck.toml").write_text(config, encoding="utf-8")
    result = cli("compare", *PDFS[:2], cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    if "licorne" in message:
        assert "gtr, horaires" in result.stderr  # names the valid ids


def test_one_offer_is_not_a_comparison(cli):
    result = cli("compare", SAMPLES / "contrat-sain.pdf", SAMPLES / "build.py")
    assert result.returncode == 2 and "au moins deux offres" in result.stderr and "build.py" in result.stderr


def test_unreadable_file_gets_its_column(cli, tmp_path):
    broken = tmp_path / "casse.pdf"
    broken.write_bytes(b"%PDF-1.7 tronque")
    result = cli("compare", SAMPLES / "contrat-sain.txt", broken, "--format", "markdown")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    rows = table_rows(result.stdout)
    assert rows[""] == ["contrat-sain.txt", "casse.pdf"] and rows["Prix mensuel"][1] == "non lu"
    assert rows["Verdict de l'audit"][1].startswith("non audité : fichier illisible<br>")
    assert "non classée — casse.pdf" in result.stdout and "**1er — contrat-sain.txt" in result.stdout
