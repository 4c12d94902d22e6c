"""The German analysis both backends share."""
from fitstore.search import analysis


def test_folding():
    assert analysis.fold("Größe Übermaß Ärger") == "groesse uebermass aerger"
    assert analysis.words("Führerschein") == analysis.words("Fuehrerschein") == ["fuehrerschein"]


def test_stemming_joins_inflections():
    assert analysis.stem("meldungen") == analysis.stem("meldung")


def test_compounds_split_into_catalogue_words():
    assert {"wohngeld", "antrag"} <= set(analysis.split_compound("wohngeldantrag"))
    assert {"hund", "steu"} <= {analysis.stem(part) for part in analysis.split_compound("hundesteuer")}
    assert analysis.split_compound("wohngeld") == ("wohn", "geld")
    assert analysis.split_compound("erklaerung") == ()


def test_synonyms_are_data():
    expansions = {term.term for term in analysis.analyse_query("Hochzeit")}
    assert analysis.stem("eheschliessung") in expansions


def test_typo_tolerance_has_a_prefix():
    assert analysis.max_edits("ab") == 0 and analysis.max_edits("wohngeld") == 2
    assert analysis.edit_distance("wohngelt", "wohngeld", 2) == 1
    assert analysis.edit_distance("wohngledt", "wohngeldt", 2) == 1  # a transposition
    assert analysis.PREFIX_LENGTH == 2
