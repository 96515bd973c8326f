"""`contratcheck schema`: the JSON Schema of the machine report, with a stable identifier."""

from __future__ import annotations

import copy
import json
from importlib import resources

import jsonschema
import pytest

from conftest import SAMPLES

STABLE_ID = "urn:contratcheck:report:1"
REPORT_FORMAT = "contratcheck.report/1"  # the report's own "schema" field, fixed by the public spec


@pytest.fixture(scope="module")
def printed(cli):
    done = cli("schema")
    assert done.returncode == 0 and done.stderr == ""
    return done.stdout


def test_schema_prints_the_packaged_file(printed):
    packaged = resources.files("contratcheck").joinpath("data/report.schema.json").read_text(encoding="utf-8")
    assert printed == packaged


def test_schema_has_a_stable_absolute_id(printed):
    schema = json.loads(printed)
    assert schema["$id"] == STABLE_ID
    assert schema["properties"]["schema"] == {"const": REPORT_FORMAT}  # the id names the schema, not the format


def test_printed_schema_validates_the_samples_report(printed, cli):
    schema = json.loads(printed)
    validator_class = jsonschema.validators.validator_for(schema)
    assert validator_class is jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".pdf", ".docx", ".txt"})
    done = cli("audit", *samples, "--format", "json", "--fail-on", "none")
    report = json.loads(done.stdout)
    assert done.returncode == 0 and len(report["documents"]) == len(samples) >= 9
    validator = validator_class(schema)
    assert list(validator.iter_errors(report)) == []
    broken = copy.deepcopy(report)
    next(d for d in broken["documents"] if d["findings"])["findings"][0]["severity"] = "grave"
    assert not validator.is_valid(broken)  # the validation does check the documents


def test_schema_command_help_is_french(cli):
    listed = cli("--help").stdout
    assert any(line.split()[:1] == ["schema"] and "schéma JSON" in line for line in listed.splitlines())
    assert "Afficher le schéma JSON" in cli("schema", "--help").stdout
