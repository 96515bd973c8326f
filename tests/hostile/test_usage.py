"""Usage errors are French sentences with exit code 2, never tracebacks or English."""

from __future__ import annotations

import pytest

from conftest import SAMPLES


@pytest.mark.parametrize(("arguments", "expected"), [
    (["--jobs", "0"], "0 est inférieur au minimum, 1"),
    (["--jobs", "x"], "« x » n'est pas un nombre entier"),
    (["--timeout", "abc"], "« abc » n'est pas un nombre"),
    (["--timeout", "nan"], "--timeout attend un nombre de secondes"),
    (["--timeout", "inf"], "--timeout attend un nombre de secondes"),
])
def test_a_bad_option_value_is_explained_in_french(cli, arguments, expected):
    result = cli("audit", SAMPLES / "contrat-sain.txt", *arguments)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "range" not in result.stderr and "Traceback" not in result.stderr and "not a valid" not in result.stderr


def test_help_and_suggestions_are_french(cli):
    help_text = cli("audit", "--help").stdout
    assert help_text.startswith("Utilisation : contratcheck audit [OPTIONS] CHEMIN…")
    assert "--jobs ENTIER" in help_text and "<int range>" not in help_text and "{CHEMIN}" not in help_text
    listed = [line for line in cli("--help").stdout.splitlines() if line.startswith("  ")]
    assert listed and not [line for line in listed if line.endswith("...")]  # no description cut short
    typo = cli("audti")
    assert typo.returncode == 2 and "vouliez-vous dire 'audit' ?" in typo.stderr and "Did you mean" not in typo.stderr
    option = cli("audit", "--jobz", "2", SAMPLES)
    assert "(option proche : --jobs)" in option.stderr and "Possible options" not in option.stderr
