"""The project's choices applied to a loaded pack: rules turned off, severities changed."""

from __future__ import annotations

from dataclasses import replace

from contratcheck.engine.ir import Rule
from contratcheck.errors import ConfigError
from contratcheck.model import Severity


def threshold_names(rules: tuple[Rule, ...]) -> set[str]:
    return {c.value.setting for r in rules for c in r.checks if c.value and c.value.setting}


def configure(rules: tuple[Rule, ...], disable: tuple[str, ...], severity: dict[str, str],
              thresholds: dict[str, float]) -> tuple[Rule, ...]:
    """Apply the project's choices; every rule and threshold they name must exist."""
    known = {rule.id for rule in rules}
    for rule_id in (*disable, *severity):
        if rule_id not in known:
            raise ConfigError(f"règle inconnue « {rule_id} » dans la configuration (voir « contratcheck rules list »).")
    unknown = set(thresholds) - threshold_names(rules)
    if unknown:
        names = ", ".join(sorted(threshold_names(rules)))
        raise ConfigError(f"seuil inconnu « {sorted(unknown)[0]} » dans la configuration (seuils : {names}).")
    kept = [r for r in rules if r.id not in disable]
    dependants = {r.id for r in kept for other in r.unless if other in disable}
    if dependants:
        raise ConfigError(f"la règle « {sorted(dependants)[0]} » dépend d'une règle désactivée (unless).")
    return tuple(replace(r, severity=Severity(severity[r.id])) if r.id in severity else r for r in kept)
