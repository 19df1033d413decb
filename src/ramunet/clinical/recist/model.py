"""RECIST 1.1 inputs and response categories as typed, frozen data.

References
----------
Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in solid
tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247, §3-§4;
clinical-rules.md §1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

Diameter = Decimal | int | float | str


class Method(StrEnum):
    """Measurement method at baseline (RECIST 1.1 §3.2). Ultrasound is not allowed."""

    CT = "ct"
    MRI = "mri"
    CALIPER = "caliper"
    CHEST_XRAY = "chest_xray"


class Measurement(StrEnum):
    """A follow-up finding that is not a number (RECIST 1.1 §4.3.2)."""

    TOO_SMALL = "too small to measure"
    """Seen but too small to measure: recorded as 5 mm; never a non-nodal CR."""


TOO_SMALL_TO_MEASURE = Measurement.TOO_SMALL


class NonTargetStatus(StrEnum):
    """The reader's non-target assessment at a follow-up (RECIST 1.1 §4.3.3-4.3.4)."""

    CR = "CR"
    NON_CR_NON_PD = "NON-CR/NON-PD"
    PD = "PD"
    NE = "NE"


class NewLesions(StrEnum):
    """New lesions at a follow-up (RECIST 1.1 §4.3.5)."""

    NONE = "none"
    EQUIVOCAL = "equivocal"
    UNEQUIVOCAL = "unequivocal"


class Response(StrEnum):
    """A RECIST response category; ``NA`` is the non-target column with no non-target disease."""

    CR = "CR"
    PR = "PR"
    SD = "SD"
    NON_CR_NON_PD = "NON-CR/NON-PD"
    PD = "PD"
    NE = "NE"
    NA = "NA"


@dataclass(frozen=True)
class Lesion:
    """A baseline target lesion.

    Non-nodal lesions are measured by their longest diameter, lymph nodes by their short axis
    (RECIST 1.1 §3.1); each in mm, to at most 0.1 mm. ``slice_thickness_mm`` matters only when
    the CT/MRI slice is thicker than 5 mm (then the minimum size is twice the slice).
    """

    lesion_id: str
    organ: str
    nodal: bool = False
    longest_diameter_mm: Diameter | None = None
    short_axis_mm: Diameter | None = None
    method: Method | str = Method.CT
    slice_thickness_mm: Diameter | None = None


@dataclass(frozen=True)
class NonTargetLesion:
    """A baseline non-target lesion or site (may group several lesions of one organ)."""

    lesion_id: str
    organ: str
    nodal: bool = False


@dataclass(frozen=True)
class Baseline:
    """The baseline tumour assessment: target and non-target lesions."""

    date: dt.date
    targets: tuple[Lesion, ...]
    non_targets: tuple[NonTargetLesion, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """A follow-up tumour assessment.

    Parameters
    ----------
    date
        Date of the scan.
    target_mm
        Per baseline target lesion id: diameter in mm (0 = disappeared; nodes: short axis),
        ``TOO_SMALL_TO_MEASURE``, or ``None`` = not assessed. A missing id is not assessed.
    non_target
        The reader's non-target response; ``None`` = not assessed (NE) when non-target disease
        was recorded at baseline, and required to be ``None`` when none was.
    new_lesions
        None, equivocal (read as "no" at this time point) or unequivocal (PD).
    equivocal_confirmed_from
        With an unequivocal new lesion that confirms an equivocal one seen earlier: the date of
        the first scan that showed it; progression is dated back to that scan (RECIST 1.1
        §4.3.5).
    """

    date: dt.date
    target_mm: Mapping[str, Diameter | Measurement | None] = field(default_factory=dict)
    non_target: NonTargetStatus | None = None
    new_lesions: NewLesions = NewLesions.NONE
    equivocal_confirmed_from: dt.date | None = None
