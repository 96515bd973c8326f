"""The clause stage: who a sentence, list item or cell binds, in which mode, and what rules and
figures make of it. Every text here is written for the test."""

from __future__ import annotations

import json

import pytest

from contratcheck.clauses.reader import ClauseReader
from contratcheck.engine.figures import key_figures
from contratcheck.engine.loader import load_pack
from contratcheck.errors import RuleFileError
from contratcheck.extract.text import extract_text
from contratcheck.model import Format, Mode, Party
from contratcheck.text.assemble import build_document

RULES, FIGURES = load_pack([], default=True)
CUES = RULES[0].checks[0].clauses.cues


def _document(text: str):
    return build_document("t.txt", extract_text(text.encode("utf-8"), Format.TXT))


def clause_of(text: str, containing: str):
    """The clause of the first sentence holding `containing`."""
    document = _document(text)
    reader = ClauseReader(document, CUES)
    for segment in document.segments["sentence"]:
        if containing in document.original(segment.span.start, segment.span.end):
            return reader.clause(segment)
    raise AssertionError(f"no sentence holds {containing!r}")


@pytest.mark.parametrize("text, party", [
    ("Le Client s'engage à effectuer une sauvegarde quotidienne de ses fichiers.", Party.CLIENT),
    ("Le Prestataire assure la supervision des serveurs.", Party.PRESTATAIRE),
    ("En cas de panne, le Prestataire intervient sur site.", Party.PRESTATAIRE),
    ("Lorsque le Client exploite ses propres applications, il s'engage à souscrire une assurance.", Party.CLIENT),
    ("L'antivirus et l'EDR des postes relèvent du Client.", Party.CLIENT),
    ("La sauvegarde des bases est assurée par le Prestataire.", Party.PRESTATAIRE),
    ("Le Client bénéficie d'un interlocuteur unique chez le Prestataire.", Party.INCONNU),
    ("Le Client s'adresse à un interlocuteur unique désigné par le Prestataire.", Party.INCONNU),
    ("La sauvegarde quotidienne des données du Client est réalisée à 22 heures.", Party.INCONNU),
    ("Il appartient au Client de tester ses restaurations.", Party.CLIENT),
    ("Nous supervisons vos serveurs jour et nuit.", Party.PRESTATAIRE),
    ("L'administration du pare-feu est comprise dans le forfait.", Party.INCONNU),
    ("Les postes client sont protégés par un antivirus.", Party.INCONNU),
])
def test_who_a_clause_binds(text, party):
    assert clause_of(text, text[:20]).binds is party


def test_a_company_named_by_the_contract_is_the_provider():
    text = ("La société NUAGIS, SAS au capital de 10 000 euros, ci-après dénommée « NUAGIS ».\n\n"
            "NUAGIS s'engage à restaurer les données sous quatre heures.")
    assert clause_of(text, "s'engage").binds is Party.PRESTATAIRE
    defined_term = "Les présentes conditions (ci-après « Conditions Générales ») s'appliquent.\n\nConditions Générales révisées chaque année."
    assert clause_of(defined_term, "révisées").binds is Party.INCONNU


@pytest.mark.parametrize("text, containing, mode", [
    ("Sont exclus du présent contrat :\n\n- le pare-feu du site ;\n- la téléphonie.", "pare-feu", Mode.EXCLU),
    ("Le pare-feu est exclu du périmètre du présent contrat.", "pare-feu", Mode.EXCLU),
    ("Exemple : pour une disponibilité mesurée de 99,5 %, le crédit vaut 5 %.", "disponibilité", Mode.EXEMPLE),
    ("# 1. Glossaire\n\nGTR : délai maximal pour rétablir le service.", "GTR", Mode.DEFINITION),
    ("Option Supervision (non souscrite) : surveillance des serveurs.", "surveillance", Mode.OPTION),
    ("- « Option Confort » : rétablissement sous 4 heures. Cette option est incluse en standard dans le forfait.",
     "rétablissement", Mode.ENGAGEMENT),
    ("Les modalités de sortie seront définies ultérieurement par avenant.", "sortie", Mode.A_DEFINIR),
    ("Question du Client : « Proposez-vous une supervision de nos serveurs ? »", "supervision", Mode.CITATION),
    ("# 9. Force majeure\n\nLe Prestataire intervient dans les 48 heures suivant l'événement.", "48 heures", Mode.CONDITION),
    ("Sauf cas de force majeure, tout retard donne lieu à une pénalité.", "pénalité", Mode.ENGAGEMENT),
    ("La tranche optionnelle de réversibilité dure deux mois au plus.", "réversibilité", Mode.ENGAGEMENT),
    # A chapter describing the buyer's system speaks for its numbered and unnumbered sub-sections.
    ("3 DESCRIPTION DE L'APPLICATION GESTAL\n\n3.2.1 Alertes\n\nUne alarme est envoyée à l'agent d'astreinte.",
     "astreinte", Mode.DESCRIPTIF),
    ("3 DESCRIPTION DE L'APPLICATION GESTAL\n\n3.2 Alertes\n\n➔ Les relances\n\nUne alarme part vers l'astreinte.",
     "astreinte", Mode.DESCRIPTIF),
    ("3 DESCRIPTION DE L'APPLICATION GESTAL\n\n3.2 Alertes\n\nLe titulaire assure la supervision des alertes.",
     "supervision", Mode.ENGAGEMENT),
    ("3 DESCRIPTION DE L'APPLICATION GESTAL\n\n4 PRESTATIONS\n\n4.1 Alertes\n\nUne alarme part vers l'astreinte.",
     "astreinte", Mode.ENGAGEMENT),
    ("1 CONTEXTE ET OBJET\n\n1.2 Objet\n\nLes opérations se font aux heures ouvrées, de 8 h à 18 h.", "ouvrées",
     Mode.ENGAGEMENT),
    ("1 Contexte\n\n1.1 Historique\n\nLes serveurs sont supervisés par la DSI.", "supervisés", Mode.DESCRIPTIF),
    ("1 Contexte\n\n1.2 Objet du marché\n\nLa supervision des serveurs est comprise.", "supervision", Mode.ENGAGEMENT),
    ("1 Contexte\n\n1.2 Prestations attendues\n\n1.2.1 Supervision\n\nLes serveurs sont supervisés en continu.",
     "supervisés", Mode.ENGAGEMENT),
    ("Article 7 Exclusions\n\nArticle 7.1 Matériel\n\nLa réparation des imprimantes.", "imprimantes", Mode.EXCLU),
])
def test_the_mode_of_a_clause(text, containing, mode):
    assert clause_of(text, containing).mode is mode


def test_a_clause_that_refers_back_is_read_with_the_sentence_before():
    text = ("Tout incident bloquant est traité de sorte que le service soit de nouveau utilisable dans un délai "
            "de quatre heures. Le délai ainsi garanti court dès l'appel du Client.")
    clause = clause_of(text, "ainsi garanti")
    assert clause.continues is not None
    assert text.startswith(_document(text).original(clause.reach.start, clause.continues.end))


def findings(text: str) -> set[str]:
    from contratcheck.engine.run import audit_document

    return {f.rule for f in audit_document(_document(text), RULES)}


def test_a_topic_excluded_somewhere_needs_the_providers_own_words():
    excluded = ("Les logiciels et équipements du site (serveurs, pare-feu, imprimantes) sont exclus du présent marché. "
                "Le réseau est découpé en deux zones séparées par un pare-feu.")
    assert "pare-feu-absent" in findings(excluded)
    assert "pare-feu-absent" not in findings(excluded + " Le Prestataire administre le pare-feu de la zone serveurs.")


def test_a_header_row_states_nothing():
    table = ("| Niveau | Délai de prise en charge | Délai de remise en service |\n|---|---|---|\n"
             "| Bloquant | 30 minutes | 4 heures |\n")
    assert "gtr-confondue-gti" not in findings(table)
    assert {"gtr-absente", "gti-absente"}.isdisjoint(findings(table))


def test_a_client_duty_or_an_example_does_not_meet_a_requirement():
    assert "sauvegarde-externalisee-absente" in findings(
        "Le Client s'engage à copier chaque soir ses sauvegardes vers un stockage cloud de son choix.")
    assert "sauvegarde-externalisee-absente" not in findings(
        "Le Prestataire copie chaque soir les sauvegardes vers son centre de données de Lyon.")
    assert "penalites-absentes" in findings("Exemple : un retard de deux heures donnerait une pénalité de 10 %.")


def _figure(text: str, figure_id: str):
    (figure,) = [f for f in FIGURES if f.id == figure_id]
    return key_figures(_document(text), (figure,))[0]


def test_the_included_value_applies_and_a_paid_option_follows():
    text = ("Le service de rétablissement comprend deux formules :\n\n"
            "- « Option Premium » : rétablissement en moins de 2 heures, 24h/24, en supplément ;\n"
            "- « Option Standard » : rétablissement en moins de 4 heures en heures ouvrées. Cette option est incluse "
            "en standard dans le forfait.\n")
    values = _figure(text, "gtr").values
    assert [(v.amount, v.caveat) for v in values] == [(4.0, None), (2.0, "option")]
    assert "gtr-trop-longue" not in findings(text)


def test_the_first_commitment_stated_applies_and_others_are_alternatives():
    text = ("Le délai de rétablissement est de 8 heures pour un incident critique.\n\n"
            "Pour les clients du contrat Excellence, le délai de rétablissement est de 2 heures pour un incident critique.")
    values = _figure(text, "gtr").values
    assert [(v.level, v.amount, v.caveat) for v in values] == [("critique", 8.0, None), ("critique", 2.0, "autre valeur énoncée")]
    assert "gtr-trop-longue" in findings(text)  # the rule judges the value the sheet shows


def test_a_level_comes_from_the_priority_column_not_the_penalty_column():
    text = ("| Priorité | Délai de rétablissement | Pénalité |\n|---|---|---|\n"
            "| Bloquant | 4 heures | P3 : 5 % |\n| Mineur | 3 jours ouvrés | P1 : 1 % |\n")
    values = _figure(text, "gtr").values
    assert [(v.level, v.amount) for v in values] == [("critique", 4.0), ("mineur", 24.0)]


def test_levels_named_by_a_priority_column_alone():
    text = ("| Priorité | Délai de rétablissement |\n|---|---|\n| Haute | 3 heures |\n| Moyenne | 1 jour ouvré |\n"
            "| Basse | 5 jours ouvrés |\n")
    values = _figure(text, "gtr").values
    assert [(v.level, v.amount) for v in values] == [("critique", 3.0), ("majeur", 8.0), ("mineur", 40.0)]


def test_a_notice_for_prices_is_not_the_termination_notice():
    text = ("Les nouveaux tarifs sont notifiés au Client avec un préavis de six mois.\n\n"
            "# 12. Résiliation\n\nUn préavis de deux mois est requis.")
    assert [v.text for v in _figure(text, "preavis").values] == ["deux mois"]
    assert "preavis-long" not in findings(text)


def test_a_user_pack_cannot_write_a_malformed_clauses_section(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("pack: test\nclauses:\n  parties: {voisin: [voisins?]}\n", encoding="utf-8")
    (pack / "r.yaml").write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack([pack], default=False)
    assert "partie inconnue « voisin »" in caught.value.message


def test_a_rule_names_the_parties_and_modes_it_reads(tmp_path):
    rule = """\
rules:
  - id: option-test
    severity: mineur
    title: Test
    condition: Pour tester.
    kind: required
    match: {pattern: licornes?}
    clauses: {modes: [engagement, option]}
    message: Absente.
    why: Pour tester.
    demand: Une licorne.
    question: Laquelle ?
    examples:
      fires: [Rien.]
      passes: ["En option : une licorne."]
"""
    path = tmp_path / "r.yaml"
    path.write_text(rule, encoding="utf-8")
    (check,) = load_pack([path])[0][-1].checks
    assert check.clauses.modes == {Mode.ENGAGEMENT, Mode.OPTION}
    path.write_text(rule.replace("[engagement, option]", "[engagement, souhait]"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack([path])
    assert "« modes » attend « all » ou une liste parmi" in caught.value.message


FOREIGN = {
    "en.txt": "This Managed Services Agreement is made between the Provider and the Customer. The Provider shall "
              "restore the service within four hours of any critical incident and shall keep backups off site. " * 8,
    "de.txt": "Dieser Wartungsvertrag wird zwischen dem Auftragnehmer und dem Kunden geschlossen. Der Auftragnehmer "
              "stellt den Betrieb innerhalb von vier Stunden wieder her und sichert die Daten täglich. " * 8,
    "es.txt": "Este contrato de mantenimiento se celebra entre el Proveedor y el Cliente. El Proveedor restablece el "
              "servicio en un plazo de cuatro horas y conserva las copias de seguridad fuera de la sede. " * 8,
    "it.txt": "Il presente contratto di manutenzione è stipulato tra il Fornitore e il Cliente. Il Fornitore ripristina "
              "il servizio entro quattro ore e conserva le copie di sicurezza fuori sede per la durata del contratto. " * 8,
}


def test_a_contract_not_in_french_is_reported_as_not_audited(cli, tmp_path):
    for name, text in FOREIGN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "fr.txt").write_text("Le Prestataire rétablit le service sous quatre heures. " * 10, encoding="utf-8")
    result = cli("audit", str(tmp_path), "--format", "json")
    assert result.returncode == 2
    documents = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(result.stdout)["documents"]}
    for name in FOREIGN:
        assert documents[name]["status"] == "error" and documents[name]["error"]["code"] == "foreign-language"
        assert documents[name]["findings"] == [] and "français" in documents[name]["error"]["message"]
    assert documents["fr.txt"]["status"] == "ok"
    shown = cli("audit", str(tmp_path / "en.txt"))
    assert "(code : foreign-language)" in shown.stdout


def test_the_verdict_of_a_contract_not_in_french_says_why():
    from contratcheck.model import DocumentResult, ErrorInfo, Status
    from contratcheck.service.verdict import verdict

    result = DocumentResult("a.txt", Format.TXT, Status.ERROR, ErrorInfo("foreign-language", "…"), None)
    assert verdict(result) == "non audité : contrat non rédigé en français"


def test_rules_show_says_which_clauses_a_rule_reads(cli):
    shown = cli("rules", "show", "pare-feu-absent").stdout
    assert "Clauses lues (required) : qui engagent inconnu, prestataire ; modes engagement ; sujet exclu ailleurs" in shown


def test_every_format_says_a_contract_is_not_in_french(cli, tmp_path):
    (tmp_path / "en.txt").write_text(FOREIGN["en.txt"], encoding="utf-8")
    outputs = {kind: tmp_path / f"r.{kind}" for kind in ("sarif", "junit", "csv", "markdown", "html")}
    cli("audit", str(tmp_path / "en.txt"), *[f"--output={kind}={path}" for kind, path in outputs.items()])
    for kind, path in outputs.items():
        text = path.read_text(encoding="utf-8-sig")
        assert "foreign-language" in text or "non français" in text or "non rédigé en français" in text, kind
    assert ";non français;" in outputs["csv"].read_text(encoding="utf-8-sig")


def test_an_agent_form_may_hold_groups_of_its_own():
    from dataclasses import replace

    cues = replace(CUES, agent=("assuree par (le |la )?{party}( lui-meme| elle-meme)?",))
    document = _document("La sauvegarde est assurée par le Prestataire lui-même.")
    clause = ClauseReader(document, cues).clause(document.segments["sentence"][0])
    assert clause.binds is Party.PRESTATAIRE
