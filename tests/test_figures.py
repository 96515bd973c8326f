"""Key figures: the pack's own examples, the derived downtime, amounts of money, definition errors."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import ROOT
from contratcheck.engine.examples import check_figure_example
from contratcheck.engine.figures import key_figures
from contratcheck.engine.loader import load_pack
from contratcheck.errors import RuleFileError
from contratcheck.extract.text import extract_text
from contratcheck.model import Format
from contratcheck.text.assemble import build_document
from contratcheck.text.money import amounts
from contratcheck.text.wording import describe

RULES, FIGURES = load_pack([], default=True)
EXAMPLES = [(figure, example) for figure in FIGURES for example in figure.examples]


def sheet(text: str) -> dict[str, object]:
    document = build_document("t.txt", extract_text(text.encode("utf-8"), Format.TXT))
    return {figure.id: figure for figure in key_figures(document, FIGURES)}


@pytest.mark.parametrize(("figure", "example"), EXAMPLES,
                         ids=[f"{f.id}/{i}" for i, (f, _) in enumerate(EXAMPLES)])
def test_figure_example(figure, example):
    failure = check_figure_example(figure, example)
    assert failure is None, failure.reason


def test_every_figure_has_an_example_showing_something_and_one_showing_nothing_or_another():
    for figure in FIGURES:
        shown = [e.shows for e in figure.examples]
        assert any(shown) and len(set(shown)) > 1, figure.id


@pytest.mark.parametrize(("text", "amount", "note"), [
    ("Le Prestataire garantit une disponibilité de 99,9 % par mois.", 99.9, "soit 8,76 h d'arrêt admis par an"),
    ("Le Prestataire garantit une disponibilité de 99,5 %.", 99.5, "soit 43,8 h d'arrêt admis par an"),
    ("Le taux de disponibilité garanti est de 99 %.", 99.0, "soit 87,6 h d'arrêt admis par an"),
])
def test_availability_gives_the_yearly_downtime_it_allows(text, amount, note):
    figure = sheet(text)["disponibilite"]
    assert figure.amount() == amount
    assert figure.note == note


def test_a_hedged_value_is_shown_but_is_not_a_firm_amount():
    figure = sheet("Nous rétablissons généralement le service sous 24 heures, selon la charge.")["gtr"]
    assert describe(figure) == "24 heures (indicatif)"
    assert figure.amount() is None


def test_values_keep_their_evidence_and_level():
    text = "Article 4\nPour tout incident de priorité P1, le Prestataire rétablit le service sous 4 heures."
    (value,) = sheet(text)["gtr"].values
    assert (value.level, value.amount, value.text) == ("critique", 4.0, "4 heures")
    assert "priorité P1" in value.evidence.excerpt
    assert text[value.evidence.start:value.evidence.end].startswith("Pour tout incident")


@pytest.mark.parametrize(("text", "expected"), [
    ("1 180 € HT par mois", [(1180.0, True)]),
    ("1.500,50 euros TTC", [(1500.5, False)]),
    ("85 EUR HT", [(85.0, True)]),
    ("article 12 1 500 000 € par sinistre", [(1500000.0, False)]),
    ("le 15 janvier 2026, 390 € HT", [(390.0, True)]),
    ("sous 4 heures, 99,9 %", []),
])
def test_amounts_of_money(text, expected):
    assert [(v.amount, v.business) for v in amounts(text.lower())] == expected


FIGURE_FILE = """\
figures:
  - id: licorne
    label: Licornes
    match: {pattern: licornes?}
    value: {type: percent}
    examples:
      - {text: "Le taux de licornes est de 5 %.", shows: "5 %"}
"""


@pytest.mark.parametrize(("change", "expected"), [
    (("value: {type: percent}", "value: {type: percent}\n    choices: []"), "soit « value »"),
    (("    label: Licornes\n", ""), "champ obligatoire « label »"),
    (("match:", "colour: bleu\n    match:"), "clé inconnue « colour »"),
    (("type: percent", "type: couleur"), "type de valeur inconnu"),
    (("match: {pattern: licornes?}", "match: {pattern: licornes?}\n    pick: some"), "« pick » vaut all ou best"),
    (('shows: "5 %"', 'montre: "5 %"'), "exemple invalide"),
])
def test_bad_figure_definition_is_a_french_error_naming_the_figure(tmp_path, change, expected):
    path = tmp_path / "fiche.yaml"
    path.write_text(FIGURE_FILE.replace(*change), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack([path], default=False)
    assert expected in caught.value.message
    assert "licorne" in caught.value.message and str(path) in caught.value.message


def test_good_figure_file_loads_and_its_example_holds(tmp_path):
    path = tmp_path / "fiche.yaml"
    path.write_text(textwrap.dedent(FIGURE_FILE), encoding="utf-8")
    _, (figure,) = load_pack([path], default=False)
    assert check_figure_example(figure, figure.examples[0]) is None


def test_fiche_command_prints_only_the_sheet(cli):
    done = cli("fiche", "samples/contrat-sain.txt", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "Fiche contrat" in done.stdout and "1 180 € HT" in done.stdout
    assert "CRITIQUE" not in done.stdout and "Synthèse" not in done.stdout
    rows = {line.split("  ")[0].strip() for line in done.stdout.splitlines() if "  " in line}
    assert {"GTR (délai de rétablissement)", "Lieu des sauvegardes"} <= rows


def test_fiche_json_and_unreadable_file(cli, tmp_path):
    broken = tmp_path / "vide.pdf"
    broken.write_bytes(b"")
    done = cli("fiche", "samples/contrat-risque.txt", broken, "--format", "json", cwd=ROOT)
    assert done.returncode == 2
    payload = json.loads(done.stdout)
    assert payload["schema"] == "contratcheck.fiche/1"
    risky, empty = sorted(payload["documents"], key=lambda d: d["path"].endswith("vide.pdf"))
    gti = next(k for k in risky["key_figures"] if k["id"] == "gti")
    assert gti["values"][0]["caveat"] == "indicatif" and gti["values"][0]["amount"] == 24.0
    assert empty["status"] != "ok" and empty["error"]


@pytest.mark.parametrize(("fmt", "marker"), [("markdown", "### Fiche contrat"), ("html", '<table class="fiche">'),
                                             ("rich", "Fiche contrat : chiffres clés")])
def test_reports_open_with_the_sheet(cli, fmt, marker):
    done = cli("audit", "samples/contrat-sain.txt", "--format", fmt, cwd=ROOT)
    assert marker in done.stdout
    assert done.stdout.index(marker) < done.stdout.index("frais-hors-forfait")
