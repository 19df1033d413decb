"""The rates the simulated trial draws from, with where each comes from.

These are assumptions for a synthetic trial, chosen to be plausible for ramucirumab with
dacarbazine in pretreated pancreatic NET; no trial of this combination has published rates.
They are informed by:

- Ramucirumab: CYRAMZA EU SmPC, section 4.8 (hypertension 16-26% any grade, 8-15% grade >= 3;
  proteinuria about 17-20%, mostly grade 1-2; fatigue 36-57%), from REGARD (Fuchs CS et al.,
  Lancet 2014;383:31-39) and RAINBOW (Wilke H et al., Lancet Oncol 2014;15:1224-1235).
- Dacarbazine: Dacarbazine EU SmPC, section 4.8 (myelosuppression: leucopenia and
  thrombocytopenia, nadir 3-4 weeks after the dose; anorexia, nausea and vomiting are the most
  frequent adverse reactions, much reduced by modern antiemetics), and Ramanathan RK et al.,
  Ann Oncol 2001;12:1139-1143 (dacarbazine in islet-cell carcinoma: objective responses in
  about a third, grade >= 3 neutropenia and thrombocytopenia in a minority).
- Screening failure about a quarter of candidates: the brief of issue #8 (typical of phase II
  oncology trials); reasons weighted by the protocol's most selective criteria (an assumption).

Each toxicity has the probability that a patient has it at all and the distribution of its
worst grade (CTCAE v5.0) given that it occurs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToxicityRate:
    """A CTCAE v5.0 term: P(any grade) and the worst grade's distribution (grades 1-4)."""

    term: str
    any_grade: float
    grade_weights: tuple[float, float, float, float]  # grade 1, 2, 3, 4 given any grade
    related_ramucirumab: str
    related_dacarbazine: str


TOXICITIES: tuple[ToxicityRate, ...] = (
    # grade >= 3 about 20% of patients: 0.45 x (0.30 + 0.15) = 0.20
    ToxicityRate(
        "Neutrophil count decreased", 0.45, (0.25, 0.30, 0.30, 0.15), "unlikely", "probable"
    ),
    # grade >= 3 about 10%: 0.35 x 0.28
    ToxicityRate(
        "Platelet count decreased", 0.35, (0.45, 0.27, 0.20, 0.08), "possible", "probable"
    ),
    # any grade 30%, grade 3 about 10%: 0.30 x 0.33
    ToxicityRate("Hypertension", 0.30, (0.30, 0.37, 0.33, 0.0), "probable", "unlikely"),
    ToxicityRate("Proteinuria", 0.20, (0.65, 0.30, 0.05, 0.0), "probable", "unlikely"),
    ToxicityRate("Nausea", 0.40, (0.60, 0.32, 0.08, 0.0), "unlikely", "probable"),
    ToxicityRate("Fatigue", 0.50, (0.55, 0.38, 0.07, 0.0), "possible", "possible"),
)

ORR = 0.15  # objective response (PR) share of all patients; SD makes up the rest of control
EARLY_DEATH_SHARE = 0.06  # of the failures: death before the month-6 scan
WITHDRAWAL_SHARE = 0.05  # of the failures: consent withdrawn before the month-6 scan
TOXICITY_STOP = 0.05  # of the patients: treatment stopped for toxicity (followed on)
POST_PROGRESSION_MEDIAN_OS_DAYS = 600  # survival after progression (assumption)
DELAY_AFTER_GRADE3 = 0.4  # share of grade >= 3 cytopenias that delay the next cycle by a week
ELEVATED_CGA = 0.65  # patients with chromogranin A above the ULN at baseline

# Screening failure reasons and their weights (criteria the engine finds not met, and two
# candidates who are eligible but decline or withdraw).
FAILURES: tuple[tuple[str, float], ...] = (
    ("neutropenia", 0.14),
    ("bilirubin", 0.10),
    ("grade_g3", 0.18),
    ("ecog", 0.12),
    ("prior_dacarbazine", 0.10),
    ("hypertension", 0.08),
    ("no_progression", 0.10),
    ("declined", 0.12),
    ("withdrew", 0.06),
)

SUBSEQUENT_THERAPIES: tuple[str, ...] = (
    "PRRT (177Lu-DOTATATE)",
    "everolimus",
    "sunitinib",
    "capecitabine/temozolomide",
    "streptozocin/5-FU",
    "best supportive care",
)
