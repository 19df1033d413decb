"""Time-to-event analysis equal to R's survival package: Kaplan-Meier, log-rank, Cox.

One import point for the report; the work lives in ``survival_km``, ``survival_logrank`` and
``survival_cox`` (one concept each) behind the validation in ``survival_data``.

References
----------
.. [1] Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model.
   Springer 2000.
"""

from __future__ import annotations

from ramunet.stats.survival_cox import CoxTwoGroupResult, cox_two_group
from ramunet.stats.survival_km import (
    CONF_TYPES,
    ConfType,
    KaplanMeierResult,
    MedianSurvival,
    SurvivalAt,
    kaplan_meier,
)
from ramunet.stats.survival_logrank import LogRankResult, logrank

__all__ = [
    "CONF_TYPES",
    "ConfType",
    "CoxTwoGroupResult",
    "KaplanMeierResult",
    "LogRankResult",
    "MedianSurvival",
    "SurvivalAt",
    "cox_two_group",
    "kaplan_meier",
    "logrank",
]
