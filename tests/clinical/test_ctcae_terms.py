"""The shipped CTCAE v5.0 term list (data/ctcae_v5_terms.csv; source in its header)."""

import pytest

from ramunet.clinical.ctcae import (
    GRADED_TERMS,
    ctcae_terms,
    lookup_term,
    search_terms,
    system_organ_classes,
)
from ramunet.clinical.errors import UnknownTerm


def test_list_holds_all_837_terms():
    # CTCAE v5.0 (NCI 2017): 837 terms
    assert len(ctcae_terms()) == 837


def test_list_has_26_system_organ_classes():
    assert len(system_organ_classes()) == 26


def test_terms_and_codes_are_unique():
    terms = ctcae_terms()
    assert len({t.term.casefold() for t in terms}) == len({t.meddra_code for t in terms}) == 837


def test_every_code_is_an_eight_digit_meddra_code():
    assert all(t.meddra_code.isdigit() and len(t.meddra_code) == 8 for t in ctcae_terms())


def test_every_soc_has_one_other_specify_term():
    others = [t.soc for t in ctcae_terms() if t.term.endswith(" - Other, specify")]
    assert sorted(others) == sorted(system_organ_classes())


@pytest.mark.parametrize(
    ("name", "code", "soc"),
    [
        ("Anemia", "10002272", "Blood and lymphatic system disorders"),
        ("Neutrophil count decreased", "10029366", "Investigations"),
        ("Hypertension", "10020772", "Vascular disorders"),
        ("Proteinuria", "10037032", "Renal and urinary disorders"),
        ("Hyponatremia", "10021038", "Metabolism and nutrition disorders"),
    ],
)
def test_lookup_returns_code_and_soc(name, code, soc):
    found = lookup_term(name)
    assert (found.meddra_code, found.soc) == (code, soc)


def test_lookup_is_case_insensitive():
    assert lookup_term("neutrophil COUNT decreased").term == "Neutrophil count decreased"


def test_every_graded_term_is_in_the_list():
    assert all(lookup_term(term).term == term for term in GRADED_TERMS)


def test_unknown_term_lookup_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        lookup_term("Neutropenia")
    assert str(caught.value) == (
        "term 'Neutropenia': not recognised; expected a CTCAE v5.0 term (see ctcae_terms())"
    )


def test_search_finds_terms_by_fragment_within_a_soc():
    found = search_terms("HEMORRHAGE", soc="Gastrointestinal disorders")
    assert found and all(
        "hemorrhage" in t.term.lower() and t.soc == "Gastrointestinal disorders" for t in found
    )
    assert "Upper gastrointestinal hemorrhage" in {t.term for t in found}
