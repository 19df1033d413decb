"""Protocol parameters of the RECIST derivations (clinical-rules.md §0.3, §1.9, §1.10)."""

from __future__ import annotations

from dataclasses import dataclass

from ramunet.clinical.errors import InvalidInput


@dataclass(frozen=True)
class RecistSettings:
    """Intervals in days, all inclusive (``>=``), counted from the first dose.

    Parameters
    ----------
    confirmation_min_days
        CR/PR is confirmed by a later assessment at least this many days after it (RECIST 1.1
        §4.4.3: 4 weeks = 28).
    sd_min_days
        SD (or NON-CR/NON-PD) counts as best response only at least this many days after the
        first dose (RECIST 1.1 §4.6.1, "6-8 weeks"; RamuNET 42; register A-R13).
    max_ne_between
        At most this many NE assessments may lie between a response and its confirmation
        ({admiralonco} ``max_nr_ne`` = 1; register A-R7).
    landmark_day, landmark_window_days
        The month-6 assessment is the first evaluable one on day landmark +/- window after the
        first dose (PROTOCOL-NOTES.md "Endpoints": 168 +/- 14, i.e. day 154..182).
    """

    confirmation_min_days: int = 28
    sd_min_days: int = 42
    max_ne_between: int = 1
    landmark_day: int = 168
    landmark_window_days: int = 14

    def __post_init__(self) -> None:
        for name in (
            "confirmation_min_days",
            "sd_min_days",
            "max_ne_between",
            "landmark_day",
            "landmark_window_days",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidInput(name, "must be a whole number of days >= 0", value)
        if self.landmark_window_days > self.landmark_day:
            raise InvalidInput(
                "landmark_window_days", "must not exceed landmark_day", self.landmark_window_days
            )

    @property
    def window_first_day(self) -> int:
        return self.landmark_day - self.landmark_window_days

    @property
    def window_last_day(self) -> int:
        return self.landmark_day + self.landmark_window_days


DEFAULT_RECIST = RecistSettings()
