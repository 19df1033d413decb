"""The analysis report's summaries, one import point; each concept lives in its own module.

- ``response``: ORR and DCR with exact intervals from best overall responses.
- ``toxicity``: worst CTCAE grade per patient and term; the term x grade table.
- ``qol``: QLQ-C30 change from baseline with the 10-point rule, per visit and scale.
- ``biochemical``: chromogranin A response and progression rates.
- ``biomarkers``: Mann-Whitney U and Fisher's exact test of a biomarker against response.
- ``logistic``: one-covariate logistic regression (odds ratio, Wald interval).
- ``recruitment``: Gamma-Poisson projection of the target patient's date.

All are pure functions on plain inputs (no Django, no I/O).
"""

from __future__ import annotations

from ramunet.stats.biochemical import CgaResponseSummary, CgaSettings, cga_response_rates
from ramunet.stats.biomarkers import (
    FisherResult,
    MannWhitneyResult,
    cross_table,
    fisher_exact_2x2,
    mann_whitney,
)
from ramunet.stats.logistic import LogisticResult, logistic_regression
from ramunet.stats.qol import QolChangeSummary, classify_change, qol_change_summary
from ramunet.stats.recruitment import RecruitmentProjection, project_recruitment
from ramunet.stats.response import ResponseRates, response_rates
from ramunet.stats.toxicity import ToxicityTable, toxicity_table, worst_grades

__all__ = [
    "CgaResponseSummary",
    "CgaSettings",
    "FisherResult",
    "LogisticResult",
    "MannWhitneyResult",
    "QolChangeSummary",
    "RecruitmentProjection",
    "ResponseRates",
    "ToxicityTable",
    "cga_response_rates",
    "classify_change",
    "cross_table",
    "fisher_exact_2x2",
    "logistic_regression",
    "mann_whitney",
    "project_recruitment",
    "qol_change_summary",
    "response_rates",
    "toxicity_table",
    "worst_grades",
]
