"""Text that hides what it says: invisible characters inside words."""

from __future__ import annotations

import pytest

CONTRACT = ("Le contrat est conclu pour une durée ferme de trente-six (36) m{x}ois. "
            "Chaque partie peut le résilier moyennant un préavis de six (6) m{x}ois avant l'échéance.")
HIDDEN = {"LRM": "\u200e", "RLM": "\u200f", "INVISIBLE SEPARATOR": "\u2063", "GRAPHEME JOINER": "\u034f",
          "LRI": "\u2066", "MONGOLIAN VOWEL SEPARATOR": "\u180e", "HANGUL FILLER": "\u3164",
          "TAGS": "\U000e0041\U000e0042", "WORD JOINER": "\u2060", "BOM": "\ufeff"}


@pytest.mark.parametrize("character", HIDDEN.values(), ids=HIDDEN.keys())
def test_an_invisible_character_inside_a_word_hides_nothing(findings_of, character):
    assert findings_of(CONTRACT.format(x="")) >= {"preavis-long", "engagement-long"}
    assert findings_of(CONTRACT.format(x=character)) >= {"preavis-long", "engagement-long"}
