"""What a simulated RamuNET trial looks like: the options of ``ramunet simulate``, checked once.

Pure (no Django): the options are validated here, at the edge, and trusted afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ramunet.clinical.errors import InvalidInput

# The German university centres a simulated trial may use, in activation order: the demo's
# eight (``ramunet.edc.sites.demo``) and more for larger synthetic trials.
CENTRE_POOL: tuple[tuple[str, str, str], ...] = (
    ("HAL", "Universitätsklinikum Halle (Saale)", "Halle"),
    ("MAR", "Universitätsklinikum Marburg", "Marburg"),
    ("BER", "Charité Universitätsmedizin Berlin", "Berlin"),
    ("MUC", "LMU Klinikum München", "München"),
    ("ESS", "Universitätsklinikum Essen", "Essen"),
    ("HAN", "Medizinische Hochschule Hannover", "Hannover"),
    ("FRA", "Universitätsklinikum Frankfurt", "Frankfurt am Main"),
    ("WUE", "Universitätsklinikum Würzburg", "Würzburg"),
    ("HEI", "Universitätsklinikum Heidelberg", "Heidelberg"),
    ("TUE", "Universitätsklinikum Tübingen", "Tübingen"),
    ("FRE", "Universitätsklinikum Freiburg", "Freiburg"),
    ("KIE", "Universitätsklinikum Schleswig-Holstein", "Kiel"),
    ("LEI", "Universitätsklinikum Leipzig", "Leipzig"),
    ("DRE", "Universitätsklinikum Dresden", "Dresden"),
    ("ULM", "Universitätsklinikum Ulm", "Ulm"),
    ("MAI", "Universitätsmedizin Mainz", "Mainz"),
)
MAX_PATIENTS = 9_999  # patient codes are <centre>-<nnn>: at most 999 per centre
RECRUITMENT_DAYS = 600  # about 20 months of recruitment (PROTOCOL-NOTES.md, "Design figures")
FOLLOW_UP_DAYS = 760  # 24 months after the first dose, the last visit's window, the end of study


@dataclass(frozen=True)
class SimulationConfig:
    """The options of a simulated trial.

    Parameters
    ----------
    patients
        Registered patients (the protocol's 45; thousands for load tests).
    centres
        Centres taking part (at most ``len(CENTRE_POOL)``); existing centres are used first.
    dc_probability
        The true probability of disease control at 6 months. The default 0.75 lies between
        the design's H0 (0.60) and H1 (0.80): an active drug, a little short of the hoped-for
        effect (an assumption; the design alone does not say what to expect).
    median_pfs_months
        The true median progression-free survival (default 9 months; an assumption).
    seed
        Seed of the random trial: the same seed gives the same trial.
    start
        The first centre's activation date; default: early enough that every patient completes
        24 months of follow-up before today.
    screen_failure_fraction
        The share of screened candidates who are not registered (about a quarter).
    """

    patients: int = 45
    centres: int = 8
    dc_probability: float = 0.75
    median_pfs_months: float = 9.0
    seed: int = 2026
    start: dt.date | None = None
    screen_failure_fraction: float = 0.25

    def __post_init__(self) -> None:
        _whole("patients", self.patients, 1, MAX_PATIENTS)
        _whole("centres", self.centres, 1, len(CENTRE_POOL))
        if self.patients > 999 * self.centres:
            raise InvalidInput(
                "patients",
                f"more than 999 per centre with {self.centres} centres; add centres",
                self.patients,
            )
        _fraction("dc_probability", self.dc_probability, 0.0, 1.0)
        _fraction("screen_failure_fraction", self.screen_failure_fraction, 0.0, 0.9)
        if isinstance(self.median_pfs_months, bool) or not isinstance(
            self.median_pfs_months, int | float
        ):
            raise InvalidInput("median_pfs_months", "must be a number", self.median_pfs_months)
        if not 1.0 <= self.median_pfs_months <= 120.0:
            raise InvalidInput(
                "median_pfs_months", "must lie between 1 and 120 months", self.median_pfs_months
            )
        _whole("seed", self.seed, 0, 2**32 - 1)
        if self.start is not None and (
            not isinstance(self.start, dt.date) or isinstance(self.start, dt.datetime)
        ):
            raise InvalidInput("start", "must be a date (YYYY-MM-DD)", self.start)

    def start_on(self, today: dt.date) -> dt.date:
        """The first activation date: ``start``, or the first of the month early enough that
        recruitment and 24 months of follow-up end before ``today``."""
        if self.start is not None:
            if self.start >= today:
                raise InvalidInput(
                    "start", f"must lie before today ({today.isoformat()})", self.start.isoformat()
                )
            return self.start
        back = today - dt.timedelta(days=RECRUITMENT_DAYS + FOLLOW_UP_DAYS + 45)
        return back.replace(day=1)


def _whole(field: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "must be a whole number", value)
    if not low <= value <= high:
        raise InvalidInput(field, f"must lie between {low} and {high}", value)


def _fraction(field: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, "must be a number", value)
    if not low <= value <= high:
        raise InvalidInput(field, f"must lie between {low} and {high}", value)
