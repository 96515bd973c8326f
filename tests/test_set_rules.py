"""A contract read as several files: the order of its pieces, the value that applies when they
disagree, and the rules pieces-contradictoires and annexe-manquante."""

from __future__ import annotations

from pathlib import Path

import pytest

from contratcheck.engine.context import Context
from contratcheck.engine.examples import check_example
from contratcheck.engine.figures import key_figures
from contratcheck.engine.ir import Example
from contratcheck.engine.loader import load_pack, load_rules
from contratcheck.engine.precedence import piece_order
from contratcheck.engine.run import audit_document
from contratcheck.errors import RuleFileError
from contratcheck.extract.text import extract_text
from contratcheck.model import Format
from contratcheck.text.assemble import build_document, combine
from contratcheck.text.values import to_hours

RULES, FIGURES = load_pack([])
BY_ID = {figure.id: figure for figure in FIGURES}
PRECEDENCE = BY_ID["reconduction"].precedence

ORDER_CCAP_FIRST = ("Article 2 - Pièces contractuelles\nLes pièces contractuelles sont les suivantes par ordre de "
                    "priorité décroissant : le CCAP, le CCTP.\n")
ORDER_CCTP_FIRST = ("Article 2 - Pièces contractuelles\nLes pièces contractuelles sont les suivantes par ordre de "
                    "priorité décroissant : le CCTP, le CCAP.\n")
TACIT = "Article 3 - Durée\nLe marché est conclu pour douze mois. Il est ensuite reconduit tacitement par périodes de douze mois.\n"
EXPRESS = "Article 8 - Reconduction\nLe marché ne sera pas reconduit tacitement ; son renouvellement fait l'objet d'un avenant.\n"


def contract(*pieces: tuple[str, str]):
    extractions = [(name, extract_text(text.encode("utf-8"), Format.TXT)) for name, text in pieces]
    if len(pieces) == 1:
        return build_document(pieces[0][0], extractions[0][1])
    return build_document("contrat", combine(extractions))


def findings(document, rule_id: str):
    return [f for f in audit_document(document, RULES) if f.rule == rule_id]


def figure(document, figure_id: str):
    return key_figures(document, (BY_ID[figure_id],))[0]


# --- The order of the pieces ---------------------------------------------------------------------------

def test_a_list_by_decreasing_priority_orders_the_pieces_from_their_file_names():
    document = contract(("lot/ccap.txt", ORDER_CCAP_FIRST + TACIT), ("lot/cctp.txt", EXPRESS))
    order = piece_order(document, Context.of(document), PRECEDENCE)
    assert order is not None and order.ranks["lot/ccap.txt"] < order.ranks["lot/cctp.txt"]
    assert order.clause is not None and order.clause.path == "lot/ccap.txt"
    assert "par ordre de priorité décroissant" in order.clause.excerpt


@pytest.mark.parametrize(("clause", "winner"), [
    ("En cas de contradiction entre le CCTP et le CCAP, les stipulations du CCAP prévalent.", "a.txt"),
    ("Le CCTP prévaut sur le CCAP.", "b.txt"),
    ("Les documents prévaudront les uns sur les autres dans l'ordre suivant :\n1. CCTP\n2. CCAP", "b.txt"),
])
def test_the_piece_that_prevails_is_read_from_the_clause(clause, winner):
    document = contract(("a.txt", "Cahier des clauses administratives particulières\n\n" + clause),
                        ("b.txt", "Cahier des clauses techniques particulières\nLe titulaire assure le support."))
    order = piece_order(document, Context.of(document), PRECEDENCE)
    assert order is not None and order.prevailing({"a.txt", "b.txt"}) == winner  # kinds read from the titles


def test_the_present_contract_prevails_over_its_annexes():
    document = contract(("contrat.txt", "Le présent contrat prévaut sur ses annexes."),
                        ("annexe-2.txt", "Annexe 2 – Niveaux de service\nLa GTR est de 4 heures."))
    order = piece_order(document, Context.of(document), PRECEDENCE)
    assert order is not None and order.prevailing({"contrat.txt", "annexe-2.txt"}) == "contrat.txt"


def test_a_single_document_has_no_pieces_and_nothing_prevails():
    document = contract(("ccap.txt", ORDER_CCAP_FIRST + TACIT + EXPRESS))
    assert piece_order(document, Context.of(document), PRECEDENCE) is None
    shown = figure(document, "reconduction")
    assert shown.prevailing is None and all(v.prevails is None for v in shown.values)
    assert not findings(document, "pieces-contradictoires")


# --- The value that applies ------------------------------------------------------------------------------

def test_the_sheet_shows_the_prevailing_pieces_answer_first_and_marks_both():
    document = contract(("ccap.txt", ORDER_CCAP_FIRST + TACIT), ("cctp.txt", EXPRESS))
    shown = figure(document, "reconduction")
    assert [(v.text, v.evidence.path, v.prevails) for v in shown.values] == [
        ("oui", "ccap.txt", True), ("non (renouvellement exprès)", "cctp.txt", False)]
    assert shown.prevailing is not None and shown.prevailing.piece == "ccap.txt"
    assert shown.prevailing.clause is not None and shown.prevailing.clause.path == "ccap.txt"
    assert "prévaut" in shown.prevailing.reason


def test_when_the_order_is_reversed_the_other_piece_applies():
    document = contract(("ccap.txt", ORDER_CCTP_FIRST + TACIT), ("cctp.txt", EXPRESS))
    shown = figure(document, "reconduction")
    assert shown.values[0].evidence.path == "cctp.txt" and shown.values[0].prevails is True


@pytest.mark.parametrize(("order", "fires"), [(ORDER_CCAP_FIRST, False), (ORDER_CCTP_FIRST, True)])
def test_a_threshold_rule_judges_the_prevailing_pieces_value(order, fires):
    document = contract(("ccap.txt", order + "Le marché peut être résilié moyennant un préavis de trois (3) mois."),
                        ("cctp.txt", "Le marché peut être résilié moyennant un préavis de six (6) mois."))
    assert bool(findings(document, "preavis-long")) is fires
    assert figure(document, "preavis").amount() == to_hours(6 if fires else 3, "mois")


def test_pieces_that_agree_are_not_marked():
    document = contract(("ccap.txt", ORDER_CCAP_FIRST + TACIT), ("cctp.txt", TACIT))
    shown = figure(document, "reconduction")
    assert shown.prevailing is None and [v.prevails for v in shown.values] == [None]


# --- pieces-contradictoires ------------------------------------------------------------------------------

def test_contradiction_quotes_both_pieces_and_the_clause_that_orders_them():
    document = contract(("ccap.txt", ORDER_CCAP_FIRST + TACIT), ("cctp.txt", EXPRESS))
    (finding,) = findings(document, "pieces-contradictoires")
    assert [e.path for e in finding.evidence] == ["ccap.txt", "cctp.txt", "ccap.txt"]
    assert "reconduit tacitement" in finding.evidence[0].excerpt
    assert "ne sera pas reconduit" in finding.evidence[1].excerpt
    assert "« CCAP, ccap.txt » prévaut sur « CCTP, cctp.txt »" in finding.message


def test_contradiction_says_when_the_contract_does_not_order_its_pieces():
    document = contract(("ccap.txt", TACIT), ("cctp.txt", EXPRESS))
    (finding,) = findings(document, "pieces-contradictoires")
    assert "ne dit pas laquelle prévaut" in finding.message
    assert figure(document, "reconduction").prevailing.piece is None


def test_values_for_different_levels_do_not_contradict():
    document = contract(("ccap.txt", "Pour un incident critique (P1), le Prestataire rétablit le service en 4 heures."),
                        ("cctp.txt", "Pour un incident mineur (P3), le Prestataire rétablit le service en 3 jours ouvrés."))
    assert not findings(document, "pieces-contradictoires")


# --- annexe-manquante ---------------------------------------------------------------------------------------

def test_a_missing_annex_is_named_with_its_sentence():
    document = contract(("contrat.txt", "Les niveaux de service et les pénalités sont définis en annexe 2."))
    (finding,) = findings(document, "annexe-manquante")
    assert "annexe 2" in finding.message
    assert finding.evidence[0].excerpt == "Les niveaux de service et les pénalités sont définis en annexe 2."


@pytest.mark.parametrize("annex", [
    "Annexe 2 – Niveaux de service\nLa GTR est de 4 heures.",
    "ANNEXE II : NIVEAUX DE SERVICE\nLa GTR est de 4 heures.",
    "7.2 Annexe 4 : Niveaux de service attendus\nLa GTR est de 4 heures.",  # numbered as its section
])
def test_an_annex_present_as_a_title_of_the_set_is_not_missing(annex):
    reference = "Les niveaux de service sont définis en annexe 2." if "7.2" not in annex else \
        "Les niveaux de service sont définis dans le tableau de l'annexe 7.2."
    assert not findings(contract(("contrat.txt", reference + "\n" + annex)), "annexe-manquante")
    assert not findings(contract(("contrat.txt", reference), ("sla.txt", annex)), "annexe-manquante")


def test_a_file_names_leading_number_orders_the_files_it_does_not_number_the_annex():
    reference = "Les niveaux de service sont définis en annexe 2."
    assert findings(contract(("1-contrat.txt", reference), ("2-annexe-1-inventaire.txt", "Postes : 12")), "annexe-manquante")
    assert not findings(contract(("1-contrat.txt", reference), ("3-annexe-2-sla.txt", "GTR : 4 h")), "annexe-manquante")


def test_an_annex_given_as_a_file_of_that_kind_is_not_missing():
    reference = "Les délais de rétablissement garantis sont précisés dans la convention de service."
    assert findings(contract(("cg.txt", reference), ("tarifs.txt", "Annexe 1 – Tarifs")), "annexe-manquante")
    assert not findings(contract(("cg.txt", reference), ("convention_de_service.txt", "Le support est joignable.")),
                        "annexe-manquante")


@pytest.mark.parametrize("sentence", [
    "Les pénalités sont appliquées conformément à l'annexe 2 du CCAG-TIC.",
    "Les niveaux de service sont conformes au PAS du pouvoir adjudicateur.",
    "Le formulaire de déclaration de sous-traitance figure en annexe 3.",
    "L'astreinte est rémunérée sur la base des tarifs définis dans le BPU.",
    "Exemple : les niveaux de service sont définis en annexe 2.",
])
def test_references_that_hold_no_commitment_of_the_provider_do_not_fire(sentence):
    assert not findings(contract(("contrat.txt", sentence)), "annexe-manquante")


# --- The language and its examples ---------------------------------------------------------------------------

def write_pack(tmp_path: Path, rule: str) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "r.yaml").write_text("rules:\n" + rule, encoding="utf-8")
    return folder


COMMON = ("    severity: majeur\n    title: T\n    condition: C.\n    message: M.\n    why: W.\n    demand: D.\n"
          "    question: Q ?\n    examples: {fires: [a], passes: [b]}\n")


@pytest.mark.parametrize(("extra", "error"), [
    ("    kind: contradiction\n    figures: [inconnu]\n", "chiffre clé inconnu « inconnu »"),
    ("    kind: contradiction\n    figures: [gtr]\n    match: {pattern: gtr}\n", "pas de « match »"),
    ("    kind: reference\n    match: {pattern: annexe}\n    refers: 'en (annexe)'\n", "(?P<name>"),
    ("    kind: reference\n    match: {pattern: annexe}\n", "« refers »"),
])
def test_new_kinds_refuse_what_they_cannot_read(tmp_path, extra, error):
    with pytest.raises(RuleFileError, match=error.replace("(", r"\(").replace("?", r"\?")):
        load_rules([write_pack(tmp_path, "  - id: essai\n" + extra + COMMON)])


def test_an_example_in_several_pieces_is_read_as_one_contract_of_several_files():
    rule = next(r for r in RULES if r.id == "pieces-contradictoires")
    fires = Example("", True, pieces=(("ccap.txt", TACIT), ("cctp.txt", EXPRESS)))
    alone = Example(TACIT + EXPRESS, True)
    assert check_example(rule, fires, RULES) is None
    assert check_example(rule, alone, RULES) is not None  # one file: no pieces, nothing to contradict


def test_an_example_needs_two_pieces(tmp_path):
    rule = ("  - id: essai\n    kind: forbidden\n    match: {pattern: gtr}\n" + COMMON.replace(
        "{fires: [a], passes: [b]}", "{fires: [{pieces: [seule]}], passes: [b]}"))
    with pytest.raises(RuleFileError, match="au moins deux pièces"):
        load_rules([write_pack(tmp_path, rule)])
