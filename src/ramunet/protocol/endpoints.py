"""Endpoints and the statistical design of RamuNET.

Sources: RamuNET protocol, "Study endpoints" and "Statistical analyses"; PROTOCOL-NOTES.md,
"Design figures" and "Endpoints"; clinical-rules.md §1.9-§1.11, §2, §3, §5. The derivations live
in ``ramunet.stats`` and ``ramunet.clinical``; this module states the definitions and settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


class EndpointRole(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    EXPLORATORY = "exploratory"


@dataclass(frozen=True)
class Endpoint:
    """An endpoint: code, role, name and the definition the system derives."""

    code: str
    role: EndpointRole
    name: str
    definition: str
    source: str


@dataclass(frozen=True)
class Design:
    """Exact binomial single-stage design (A'Hern 2001): reject H0 when successes >= r of n.

    The stated operating characteristics are those of PROTOCOL-NOTES.md ("Design figures");
    ``ramunet.stats`` recomputes them.
    """

    p0: Decimal = Decimal("0.60")
    p1: Decimal = Decimal("0.80")
    alpha: Decimal = Decimal("0.05")  # one-sided
    beta: Decimal = Decimal("0.10")
    n: int = 45
    r: int = 33
    actual_alpha: Decimal = Decimal("0.0446")
    actual_power: Decimal = Decimal("0.9005")
    method: str = "exact binomial single-stage design (A'Hern 2001)"
    centres: int = 8
    follow_up_months: int = 24


DESIGN = Design()


def build_endpoints(settings: ProtocolSettings = DEFAULT_SETTINGS) -> tuple[Endpoint, ...]:
    """The endpoints with the windows and thresholds of ``settings`` written in."""
    first, last = settings.month6_window
    return (
        Endpoint(
            "DC6",
            EndpointRole.PRIMARY,
            "Disease control at 6 months (RECIST 1.1)",
            f"first evaluable RECIST 1.1 assessment in day {first}..{last} after the first dose "
            f"(day {settings.month6_target_day} +/- {settings.month6_window_days}) with overall "
            "response CR, PR or SD (non-CR/non-PD for non-target-only disease), no progression or "
            "death before it; everything else is failure (intention to treat); analysis set: "
            "registered patients with at least one dose",
            "protocol 'Primary endpoints'; clinical-rules.md §1.10",
        ),
        Endpoint(
            "ORR",
            EndpointRole.SECONDARY,
            "Objective response",
            "best overall response CR or PR per RECIST 1.1, confirmed at least "
            f"{settings.confirmation_min_days} days later (unconfirmed also reported); SD counts "
            f"as best response only at least {settings.stable_disease_min_days} days after the "
            "first dose",
            "RECIST 1.1 (Eisenhauer et al. 2009), §4.4.3; clinical-rules.md §1.9",
        ),
        Endpoint(
            "PFS",
            EndpointRole.SECONDARY,
            "Progression-free survival",
            "start of treatment to radiological progression or death; censored at the last "
            "adequate tumour assessment",
            "clinical-rules.md §1.11",
        ),
        Endpoint(
            "OS",
            EndpointRole.SECONDARY,
            "Overall survival",
            "start of treatment to death; censored at last contact alive",
            "clinical-rules.md §1.11",
        ),
        Endpoint(
            "TOX",
            EndpointRole.SECONDARY,
            "Toxicity",
            "CTCAE v5.0, worst grade per patient and term; laboratory toxicities graded from the "
            "values",
            "CTCAE v5.0; clinical-rules.md §2",
        ),
        Endpoint(
            "BCR",
            EndpointRole.SECONDARY,
            "Biochemical response (chromogranin A or specific hormone)",
            f"change from baseline; response >= {settings.cga_response_decrease_percent}% "
            f"decrease, progression >= {settings.cga_progression_increase_percent}% increase",
            "clinical-rules.md §5",
        ),
        Endpoint(
            "QOL",
            EndpointRole.SECONDARY,
            "Quality of life (EORTC QLQ-C30 v3.0)",
            "scored by the EORTC scoring manual; a change of >= "
            f"{settings.qol_meaningful_change_points} points is clinically meaningful",
            "Fayers et al. 2001; Osoba et al. 1998; clinical-rules.md §3",
        ),
        Endpoint(
            "TRANSL",
            EndpointRole.EXPLORATORY,
            "Translational markers",
            "central pathology (Halle): Ki-67, grading, VEGFR2 (tumour and stroma), CD68, CD163, "
            "CD204, CD3, CD8, FoxP3, CD31 microvessel density, E-cadherin, vimentin; circulating "
            "IL-1, IL-6, VEGF, angiopoietin-1/-2; correlated with response and PFS",
            "protocol 'Translational program'",
        ),
    )


ENDPOINTS = build_endpoints()
