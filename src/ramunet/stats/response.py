"""Objective response and disease control rates from best overall responses (RECIST 1.1).

ORR counts CR and PR; DCR counts CR, PR, SD and NON-CR/NON-PD, each over every patient of the
analysis set (a patient without an evaluable assessment is ``NE`` and stays in the
denominator). Both carry exact Clopper-Pearson intervals.

References
----------
.. [1] Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
   tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247, §4.4.3
   (best overall response), §4.6 (response and stable disease).
.. [2] Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
   of the binomial. Biometrika 1934;26:404-413.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.binomial import ProportionInterval, check_level, clopper_pearson

#: Best-overall-response codes, as ``ramunet.clinical.recist.Response`` spells them.
BEST_RESPONSE_CODES: tuple[str, ...] = ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE")
OBJECTIVE_RESPONSE: frozenset[str] = frozenset({"CR", "PR"})
DISEASE_CONTROL: frozenset[str] = frozenset({"CR", "PR", "SD", "NON-CR/NON-PD"})


@dataclass(frozen=True)
class ResponseRates:
    """Counts per best response, ORR and DCR with exact intervals.

    Attributes
    ----------
    best_responses
        The input codes, one per patient.
    counts
        Patients per code, in ``BEST_RESPONSE_CODES`` order (zeros included).
    objective_response, disease_control
        Clopper-Pearson intervals (x, n, level, lower, upper) of ORR and DCR.
    """

    best_responses: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]
    objective_response: ProportionInterval
    disease_control: ProportionInterval

    @property
    def n_patients(self) -> int:
        """Patients in the analysis set (the denominator)."""
        return len(self.best_responses)

    @property
    def orr(self) -> float:
        """Objective response rate (CR + PR) / n."""
        return self.objective_response.x / self.n_patients

    @property
    def dcr(self) -> float:
        """Disease control rate (CR + PR + SD + NON-CR/NON-PD) / n."""
        return self.disease_control.x / self.n_patients

    def count(self, code: str) -> int:
        """Patients whose best response is ``code``."""
        return dict(self.counts)[code]


def response_rates(best_responses: Sequence[str], level: float = 0.95) -> ResponseRates:
    """ORR and DCR with exact (Clopper-Pearson) intervals from best-response codes.

    Parameters
    ----------
    best_responses
        One RECIST 1.1 best overall response per patient of the analysis set: ``CR``,
        ``PR``, ``SD``, ``NON-CR/NON-PD``, ``PD`` or ``NE`` [1]_.
    level
        Two-sided confidence level of both intervals [2]_.

    Raises
    ------
    InvalidInput
        An empty list or a level outside (0, 1); ``UnknownTerm`` naming
        ``best_responses[i]`` for another code (``None`` included: record ``NE``).
    """
    confidence = check_level(level)
    if len(best_responses) == 0:
        raise InvalidInput("best_responses", "must hold at least one patient")
    for index, code in enumerate(best_responses):
        if code not in BEST_RESPONSE_CODES:
            raise UnknownTerm(f"best_responses[{index}]", code, BEST_RESPONSE_CODES)
    tally = Counter(best_responses)
    n = len(best_responses)
    responders = sum(tally[code] for code in OBJECTIVE_RESPONSE)
    controlled = sum(tally[code] for code in DISEASE_CONTROL)
    return ResponseRates(
        best_responses=tuple(best_responses),
        counts=tuple((code, tally[code]) for code in BEST_RESPONSE_CODES),
        objective_response=clopper_pearson(responders, n, confidence),
        disease_control=clopper_pearson(controlled, n, confidence),
    )
