"""The eligibility engine: one candidate's screening data in, an ``EligibilityResult`` out.

Every criterion of ``ramunet.protocol.criteria`` gets a state (met, not met, data missing,
investigator confirmation needed; IN11 "not applied") and a one-line reason quoting the values.
The overall verdict follows PROTOCOL-NOTES.md ("Eligibility conventions"): any criterion not met
-> not eligible; else any data missing -> incomplete; else any confirmation needed -> needs
review; else eligible. For an exclusion criterion "met" means the patient is clear of it.

Usage::

    result = evaluate_eligibility(screening_from_dict(payload))
    result.verdict, result.failing()

The rules live in ``eligibility_population``, ``eligibility_labs`` and ``eligibility_history``;
inputs are validated first (``screening_validation``), so that a valid input never raises and
an invalid one raises ``InvalidInput`` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from ramunet.clinical.errors import UnknownTerm
from ramunet.protocol import eligibility_history as history
from ramunet.protocol import eligibility_labs as labs
from ramunet.protocol import eligibility_population as population
from ramunet.protocol.criteria import CRITERIA, Criterion
from ramunet.protocol.findings import CriterionState, Finding
from ramunet.protocol.screening import ScreeningData
from ramunet.protocol.screening_input import screening_from_dict
from ramunet.protocol.screening_validation import validate_screening
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings

Rule = Callable[[ScreeningData, ProtocolSettings], Finding]

RULES: Mapping[str, Rule] = MappingProxyType(
    {
        "IN01": population.histology,
        "IN02": population.age,
        "IN03": population.measurable_disease,
        "IN04": population.prior_therapy,
        "IN05": population.ecog,
        "IN06": population.life_expectancy,
        "IN07": labs.renal_function,
        "IN08": labs.hepatic_function,
        "IN09": labs.marrow_function,
        "IN10": labs.coagulation_function,
        "IN11": population.bleeding_risk_inclusion,
        "IN12": population.contraception,
        "IN13": population.pregnancy_test,
        "IN14": population.able_to_consent,
        "EX01": population.pregnancy_or_lactation,
        "EX02": history.secondary_malignancy,
        "EX03": history.study_drug_allergy,
        "EX04": history.other_trial,
        "EX05": history.arterial_thromboembolism,
        "EX06": history.liver_cirrhosis,
        "EX07": history.hypertension,
        "EX08": history.antiplatelet_therapy,
        "EX09": history.gi_bleeding,
        "EX10": history.venous_thromboembolism,
        "EX11": history.uncontrolled_disorder,
        "EX12": history.bleeding_risk,
        "EX13": history.gi_perforation,
        "EX14": history.recent_surgery,
        "EX15": history.planned_surgery,
        "EX16": history.wound_ulcer_fracture,
    }
)


class Verdict(StrEnum):
    NOT_ELIGIBLE = "not eligible"
    INCOMPLETE = "incomplete"
    NEEDS_REVIEW = "needs review"
    ELIGIBLE = "eligible"


@dataclass(frozen=True)
class CriterionResult:
    """One criterion's state and reason."""

    criterion: Criterion
    state: CriterionState
    reason: str

    @property
    def id(self) -> str:
        return self.criterion.id

    def line(self) -> str:
        """``IN09 not met: ANC 1500 /mm3 not > 1500 /mm3``."""
        return f"{self.criterion.id} {self.state}: {self.reason}"


@dataclass(frozen=True)
class EligibilityResult:
    """The result for one candidate: the input, settings, every criterion and the verdict."""

    screening: ScreeningData
    settings: ProtocolSettings
    criteria: tuple[CriterionResult, ...]
    verdict: Verdict

    def result(self, criterion_id: str) -> CriterionResult:
        """The result of one criterion (``IN01``..``EX16``)."""
        for item in self.criteria:
            if item.id == criterion_id:
                return item
        raise UnknownTerm("criterion_id", criterion_id, "IN01..IN14, EX01..EX16")

    def ids_in_state(self, state: CriterionState) -> tuple[str, ...]:
        return tuple(item.id for item in self.criteria if item.state is state)

    def failing(self) -> tuple[str, ...]:
        """Ids of the criteria not met (the screening-failure reasons)."""
        return self.ids_in_state(CriterionState.NOT_MET)

    def missing(self) -> tuple[str, ...]:
        return self.ids_in_state(CriterionState.DATA_MISSING)

    def needs_confirmation(self) -> tuple[str, ...]:
        return self.ids_in_state(CriterionState.CONFIRMATION_NEEDED)

    def summary(self) -> str:
        """The verdict and the lines of every criterion not met, missing or to confirm."""
        open_items = [
            item.line()
            for item in self.criteria
            if item.state not in (CriterionState.MET, CriterionState.NOT_APPLIED)
        ]
        return "\n".join([f"verdict: {self.verdict}", *open_items])

    def as_dict(self) -> dict[str, object]:
        """Plain data for the API and the screening log."""
        return {
            "verdict": self.verdict.value,
            "protocol_version": self.settings.version,
            "criteria": [
                {"id": item.id, "state": item.state.value, "reason": item.reason}
                for item in self.criteria
            ],
        }


def overall_verdict(states: tuple[CriterionState, ...]) -> Verdict:
    """Not met -> not eligible; else missing -> incomplete; else confirm -> needs review."""
    if CriterionState.NOT_MET in states:
        return Verdict.NOT_ELIGIBLE
    if CriterionState.DATA_MISSING in states:
        return Verdict.INCOMPLETE
    if CriterionState.CONFIRMATION_NEEDED in states:
        return Verdict.NEEDS_REVIEW
    return Verdict.ELIGIBLE


def evaluate_eligibility(
    screening: ScreeningData, settings: ProtocolSettings = DEFAULT_SETTINGS
) -> EligibilityResult:
    """Evaluate every criterion for one candidate.

    Parameters
    ----------
    screening
        The candidate's screening data; validated here (``InvalidInput`` names the field).
    settings
        Protocol settings (thresholds, windows); default: the published protocol, version 01.

    Returns
    -------
    EligibilityResult
        Criteria in protocol order (IN01..IN14, EX01..EX16) and the verdict.

    References
    ----------
    RamuNET protocol, "Inclusion criteria" and "Exclusion criteria"; PROTOCOL-NOTES.md.
    """
    validate_screening(screening)
    results = []
    for item in CRITERIA:
        finding = RULES[item.id](screening, settings)
        results.append(CriterionResult(item, finding.state, finding.reason))
    states = tuple(result.state for result in results)
    return EligibilityResult(screening, settings, tuple(results), overall_verdict(states))


def evaluate_eligibility_dict(
    payload: object, settings: ProtocolSettings = DEFAULT_SETTINGS
) -> EligibilityResult:
    """``evaluate_eligibility`` for a posted dict (see ``screening_input``)."""
    return evaluate_eligibility(screening_from_dict(payload), settings)
