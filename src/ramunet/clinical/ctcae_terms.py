"""The CTCAE v5.0 term list, for adverse-event entry: each term with its MedDRA code and SOC.

References
----------
U.S. DHHS/NIH/NCI, Common Terminology Criteria for Adverse Events (CTCAE) v5.0, 27 November 2017
(837 terms in 26 MedDRA system organ classes, MedDRA v20.1 codes). The shipped list
``data/ctcae_v5_terms.csv`` names its source in its header and in ``data/README.md``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ramunet.clinical.errors import InvalidInput, UnknownTerm

_DATA_FILE = "ctcae_v5_terms.csv"


@dataclass(frozen=True)
class CtcaeTerm:
    """One CTCAE v5.0 term: its MedDRA code, system organ class (SOC) and name."""

    meddra_code: str
    soc: str
    term: str


@cache
def ctcae_terms() -> tuple[CtcaeTerm, ...]:
    """All 837 CTCAE v5.0 terms, in the order of the NCI release (grouped by SOC)."""
    text = resources.files("ramunet.clinical.data").joinpath(_DATA_FILE).read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(CtcaeTerm(row["meddra_code"], row["soc"], row["term"]) for row in rows)


@cache
def _by_folded_name() -> dict[str, CtcaeTerm]:
    return {_fold(term.term): term for term in ctcae_terms()}


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def lookup_term(name: str) -> CtcaeTerm:
    """The CTCAE v5.0 term of this name, case- and spacing-insensitive.

    Raises ``UnknownTerm`` (field ``term``) for a name outside CTCAE v5.0; use
    ``search_terms`` to offer candidates.

    >>> lookup_term("neutrophil COUNT decreased").meddra_code
    '10029366'
    """
    if not isinstance(name, str):
        raise InvalidInput("term", "must be a text", name)
    try:
        return _by_folded_name()[_fold(name)]
    except KeyError:
        raise UnknownTerm("term", name, "a CTCAE v5.0 term (see ctcae_terms())") from None


def search_terms(text: str, soc: str | None = None) -> tuple[CtcaeTerm, ...]:
    """Terms whose name contains ``text`` (case-insensitive), optionally within one SOC.

    An empty ``text`` matches every term (of the SOC).
    """
    wanted = _fold(text)
    soc_folded = None if soc is None else _fold(soc)
    return tuple(
        term
        for term in ctcae_terms()
        if wanted in _fold(term.term) and (soc_folded is None or _fold(term.soc) == soc_folded)
    )


def system_organ_classes() -> tuple[str, ...]:
    """The 26 MedDRA system organ classes used by CTCAE v5.0, in the release's order."""
    return tuple(dict.fromkeys(term.soc for term in ctcae_terms()))
