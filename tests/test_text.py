"""Folding, French durations, negation and sentence cutting."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contratcheck.text.fold import fold
from contratcheck.text.money import amounts
from contratcheck.text.negation import _CONJUNCTIONS, _STOP, Boundaries, _read_stops, is_negated
from contratcheck.text.normalize import clean
from contratcheck.text.scan import PrefixScan, TokenIndex, spaced
from contratcheck.text.segment import sentence_spans
from contratcheck.text.values import durations, percentages, words_to_number


@given(st.text())
def test_fold_keeps_every_offset(text):
    assert len(fold(text)) == len(text)


def test_fold_drops_case_and_accents():
    assert fold("RÉTABLISSEMENT d’un Œil – n° 3") == "retablissement d'un oil - no 3"


@pytest.mark.parametrize(("text", "hours", "business"), [
    ("quatre (4) heures", 4, False), ("4h", 4, False), ("4 h", 4, False), ("240 minutes", 4, False),
    ("deux jours ouvrés", 16, True), ("de vingt-quatre heures", 24, False), ("sous quarante-huit heures", 48, False), ("J+1", 24, True), ("une journée", 24, False),
    ("8 heures ouvrées", 8, True), ("six (6) mois", 6 * 730.5, False), ("trois ans", 3 * 8766, False),
    ("quarante-huit heures", 48, False), ("quatre-vingt-dix jours", 90 * 24, False),
    ("une heure et demie", 1.5, False), ("une demi-journée", 12, False), ("dans l'heure", 1, False),
])
def test_durations_in_french(text, hours, business):
    (value,) = durations(fold(text))
    assert value.amount == pytest.approx(hours)
    assert value.business is business


@pytest.mark.parametrize("text", ["de 8h à 18h", "8h-18h", "24h/24 et 7j/7", "à 8h30", "24/7"])
def test_times_of_day_and_coverage_are_not_durations(text):
    assert durations(fold(text)) == []


def test_percentages():
    assert [v.amount for v in percentages(fold("99,9 % et 5 pour cent"))] == [99.9, 5]


def test_number_words():
    assert [words_to_number(w) for w in ("vingt et un", "soixante-douze", "cent vingt", "quatre-vingts")] == [21, 72, 120, 80]


_TOKENS = st.sampled_from(list("0123456789 hjm()+/-,.àJH") + ["heures", "jours", "mois", "quatre", "deux", "ouvrés", "demi", "et", " "])


@given(st.lists(_TOKENS).map("".join))
def test_duration_parser_never_raises(text):
    for value in durations(fold(text)):
        assert value.amount >= 0 and 0 <= value.start < value.end <= len(text)


@pytest.mark.parametrize(("sentence", "word", "negated"), [
    ("Le pare-feu n'est pas inclus dans la prestation.", "pare-feu", True),
    ("Aucune sauvegarde externalisée n'est prévue.", "sauvegarde externalisee", True),
    ("Le Prestataire n'est pas tenu de justifier d'une assurance.", "assurance", True),
    ("Le Prestataire ne fournit pas de pare-feu.", "pare-feu", True),
    ("hors sauvegarde externalisée", "sauvegarde externalisee", True),
    ("Le Prestataire fournit un pare-feu managé.", "pare-feu", False),
    ("Les sauvegardes sont externalisées, le pare-feu n'est pas inclus.", "sauvegardes sont externalisees", False),
    ("Le Prestataire n'intervient que sur les postes, avec supervision.", "supervision", False),
    # one case per negation cue: each must survive the quick check that looks for cues first
    ("Le forfait n'inclut nullement la supervision.", "supervision", True),
    ("Jamais de supervision le dimanche.", "supervision", True),
    ("Ni la supervision ni la sauvegarde.", "sauvegarde", True),
    ("Exclusion de la supervision.", "supervision", True),
    ("En l'absence d'une supervision.", "supervision", True),
    ("En l'absence de supervision, le Client alerte.", "supervision", True),
    ("Pas d'outil de supervision.", "supervision", True),
    ("Le Prestataire ne saurait garantir la supervision.", "supervision", True),
    ("Une absence déclarée de la supervision.", "supervision", False),
    ("Pas de supervision le week-end.", "supervision", True),
    ("Le Prestataire n'assure plus la supervision.", "supervision", True),
    ("Le Prestataire n'assure point la supervision.", "supervision", True),
    ("Prestations sans supervision.", "supervision", True),
    ("Prestations sauf supervision.", "supervision", True),
    ("Prestations excepté supervision.", "supervision", True),
    ("Toutes prestations à l'exception de la supervision.", "supervision", True),
    ("Prestations non supervision.", "supervision", True),
    ("La supervision ne pourra être assurée.", "supervision", True),
    ("La supervision est expressément exclue.", "supervision", True),
    ("La supervision, non comprise.", "supervision", False),
    ("La supervision non comprise dans le forfait.", "supervision", True),
    ("Aucune supervision.", "supervision", True),
    ("Article 2ne comprend pas la supervision.", "supervision", True),
])
def test_negation(sentence, word, negated):
    folded = fold(sentence)
    start = folded.index(word)
    assert is_negated(folded, start, start + len(word)) is negated


def test_boundaries_end_a_negation_at_punctuation_and_conjunctions_but_not_decimal_commas():
    text = fold("Aucun délai de 4,5 heures ; mais toutefois le pare-feu, et sont exclus les postes.")
    bounds = Boundaries(text)
    assert bounds.around(text.index("heures"), text.index(" ;")) == (0, text.index(";"))
    # "mais " is read first and takes the space before "toutefois", which is then no boundary
    firewall = text.index("le pare-feu")
    assert bounds.around(firewall, firewall + 11) == (text.index("toutefois"), text.index(", et"))
    assert bounds.around(text.index("exclus"), text.index("exclus") + 6) == (text.index("sont"), len(text) - 1)


@given(st.text(alphabet="ab ,.;:!?()[]|05\u0663\u20ac\u2026", max_size=30), st.integers(0, 30), st.integers(0, 30))
@example("4,5 ,, ,\u0663 ,\u20ac", 0, 13)  # decimal commas, with any decimal digit, are no stops
def test_stops_read_in_a_window_are_those_a_whole_text_search_finds_there(text, first, last):
    first, last = sorted((min(first, len(text)), min(last, len(text))))
    assert _read_stops(text, first, last) == [m.start() for m in _STOP.finditer(text) if first <= m.start() < last]


@pytest.mark.parametrize("edge", [2046, 2047, 2048])
def test_a_decimal_comma_is_no_boundary_even_at_a_chunk_edge(edge):
    text = "a" * (edge - 2) + " 4,5 heures"  # the comma at `edge`
    assert text[edge] == ","
    position = text.index("heures")
    assert Boundaries(text).around(position, position + 6) == (position - 400, len(text))


@pytest.mark.parametrize("tail", [", fin. ", " ", " 4,5 " + "." * 2100 + " 4,5 "])
@pytest.mark.parametrize("offset", [0, *range(1890, 2060, 3)])
def test_boundaries_read_by_chunk_are_those_of_a_whole_left_to_right_reading(offset, tail):
    """Conjunctions that overlap ("mais toutefois") are settled by reading from the left: a chain
    straddling a chunk edge, longer than the lead read before a chunk, must not change that."""
    chain = " mais toutefois cependant en revanche" * 4 + " et sont exclus"
    text = "a" * offset + chain + tail + "b " * 300
    spans = sorted((m.start() - 1, m.end()) for regex in _CONJUNCTIONS for m in regex.finditer(text))
    kept, reached = [], -1
    for start, end in spans:
        if start >= reached:
            kept.append((start, end))
            reached = end
    stops = [i for i, c in enumerate(text) if c == "." or c == "," and not text[i + 1:i + 2].isdigit()]
    positions = range(offset, offset + 600, 1 if len(tail) < 10 else 7)
    for order in (positions, reversed(positions)):  # chunks are read in the order lookups need them
        bounds = Boundaries(text)
        for position in order:
            left = max([e for _, e in kept if e <= position] + [s + 1 for s in stops if s < position] + [position - 400, 0])
            right = min([s for s, _ in kept if s >= position + 1] + [s for s in stops if s >= position + 1]
                        + [position + 401, len(text)])
            assert bounds.around(position, position + 1) == (left, right), position


def test_values_read_in_a_window_are_the_whole_text_values_beginning_there():
    text = fold("GTI : 2 heures. GTR : quatre heures ouvrées ou J+1, 1 500 € HT, 99,5 % ; astreinte 8 h.")
    start, end = text.index("gtr"), text.index("astreinte")
    for read, expected in ((durations, [4.0, 24.0]), (percentages, [99.5]), (amounts, [1500.0])):
        window = read(text, start, end)
        assert window == [v for v in read(text) if start <= v.start < end]
        assert [v.amount for v in window] == expected
    for cut in ("heures ouvrees", "%", "\u20ac"):  # a window may end inside a value that begins in it
        end = text.index(cut)
        for read in (durations, percentages):
            assert read(text, start, end) == [v for v in read(text) if start <= v.start < end]
        # amounts are found from their currency sign: only those lying in the window must agree
        assert [v for v in amounts(text, start, end) if v.end <= end] == [
            v for v in amounts(text) if start <= v.start and v.end <= end]


def test_prefix_scan_finds_token_starts_after_any_separator_and_at_the_edges():
    text = "sauvegardes (sauvegarde) 12 \u20ac/ mois, dans l'heure;sauve"
    scan = PrefixScan([("sauve",), ("/ mois",), ("heure", "l'heu")])
    tokens = TokenIndex(text)
    assert tokens.positions(("sauve",), scan) == [0, 13, len(text) - 5]
    assert tokens.positions(("/ mois",), scan) == [text.index("/")]
    assert tokens.positions(("heure", "l'heu"), scan) == [text.index("l'"), text.index("heure")]
    window = TokenIndex(text, 1, len(text) - 5)  # a window sees only the starts inside it
    assert window.positions(("sauve",), scan) == [13]


_KEY = st.text(alphabet="ab1 '", min_size=1, max_size=4).filter(lambda key: not key[0].isspace())


@given(st.text(alphabet="ab1 _-'.\u20ac", max_size=40), st.lists(st.lists(_KEY, min_size=1, max_size=3), min_size=1, max_size=4),
       st.integers(0, 40), st.integers(0, 40))
@example("b a", [["b a "]], 0, 3)  # the text's end is a space
@example("a bb b", [["bb", "a bb", "b", "a"]], 0, 6)  # "a" and "a bb" start together
def test_prefix_scan_gives_each_token_start_its_longest_key(text, groups, start, end):
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    groups = [tuple(group) for group in groups]
    scan, shown = PrefixScan(groups), " " + spaced(text) + " "  # the text's edges count as spaces
    keys = {spaced(key) for group in groups for key in group}
    found = scan.search(text, start, end)
    expected: dict[str, list[int]] = {}
    for position in range(start, end):
        fitting = [key for key in keys if shown[position] == " " and shown.startswith(key, position + 1)]
        if fitting:
            expected.setdefault(max(fitting, key=len), []).append(position)
    assert dict(found) == expected


_TOKEN_START = re.compile(r"(?<![a-z0-9])[^\W_]")  # the definition: a word character not after [a-z0-9]


@given(st.text(alphabet="ab1 _-'.é\u0153\n", max_size=60), st.integers(0, 60), st.integers(0, 60), st.integers(0, 5))
def test_word_counts_follow_the_token_start_definition(text, start, end, words):
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    expected = len(_TOKEN_START.findall(text, start, end))
    counted, listed = TokenIndex(text), TokenIndex(text)
    assert listed.word_starts == [m.start() for m in _TOKEN_START.finditer(text)]
    assert counted.words_between(start, end) == expected
    assert counted.at_most(start, end, words) == (expected <= words)
    assert listed.words_between(start, end) == expected


def test_sentences_ignore_abbreviations_and_split_on_semicolons():
    text = "Voir art. 5 du contrat. Le délai est de 4 h. P1 : 4 h ; P2 : 8 h."
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces == ["Voir art. 5 du contrat.", "Le délai est de 4 h.", "P1 : 4 h ;", "P2 : 8 h."]


@pytest.mark.parametrize("text, sentences", [
    # a word cut by the tail searched for abbreviations: its end "art" is no "art."
    ("Voir le schéma Rempart" + "-" * 21 + ". Suite du texte.", 2),
    ("Le mot est Z. Suite.", 1),  # a single capital is an initial
    ("Voir art.  ------------------------------ . Suite.", 1),  # only punctuation in the tail
])
def test_abbreviation_check_reads_whole_last_word(text, sentences):
    assert len(sentence_spans(text)) == sentences


@given(st.text())
def test_clean_is_idempotent_and_single_line(text):
    once = clean(text)
    assert clean(once) == once and "\n" not in once
