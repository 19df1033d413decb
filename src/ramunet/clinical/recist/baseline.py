"""Baseline validation: measurability and target-lesion selection (RECIST 1.1 §3.1, §4.2).

Diameters are held as integer tenths of a millimetre so that every RECIST threshold compares
exactly and fast (clinical-rules.md §0.1).

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247, §3.1 (measurable lesions: >= 10 mm on CT
with slices <= 5 mm, else 2 x slice thickness; >= 10 mm by calipers; >= 20 mm on chest X-ray;
nodes >= 15 mm short axis), §3.2.2 (no ultrasound), §4.2 (at most 5 targets, 2 per organ;
all lymph nodes together are one organ, RECIST FAQ "Two target lesions"); clinical-rules.md
§1.1-1.2.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.recist.model import Baseline, Lesion, Method, NonTargetLesion
from ramunet.clinical.units import to_decimal

MAX_TARGETS = 5
MAX_TARGETS_PER_ORGAN = 2
NODE_ORGAN = "lymph node"
NODE_TARGET_MIN_TENTHS = 150
NODE_PATHOLOGICAL_TENTHS = 100
LESION_MIN_TENTHS = 100
CHEST_XRAY_MIN_TENTHS = 200
THIN_SLICE_TENTHS = 50

MAX_DIAMETER_MM = 1000
_TOO_LARGE = f"must be at most {MAX_DIAMETER_MM} mm"
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def diameter_tenths(value: object, field: str) -> int:
    """A diameter in mm as integer tenths of a mm; negative, non-numeric or finer than
    0.1 mm is refused with ``InvalidInput`` naming ``field``."""
    if type(value) is int:
        if value < 0:
            raise InvalidInput(field, "must not be negative", value)
        if value > MAX_DIAMETER_MM:
            raise InvalidInput(field, _TOO_LARGE, value)
        return value * 10
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(field, "must be a finite number of mm", value)
        if value < 0:
            raise InvalidInput(field, "must not be negative", value)
        if value > MAX_DIAMETER_MM:
            raise InvalidInput(field, _TOO_LARGE, value)
        scaled = value * 10
        tenths = round(scaled)
        if abs(scaled - tenths) > 1e-6:
            raise InvalidInput(field, "must be recorded to at most 0.1 mm", value)
        return tenths
    if not isinstance(value, Decimal | str):
        raise InvalidInput(field, "must be a number of mm", value)
    amount = to_decimal(value, field)
    if amount < 0:
        raise InvalidInput(field, "must not be negative", value)
    if amount > MAX_DIAMETER_MM:
        raise InvalidInput(field, _TOO_LARGE, value)
    scaled_amount = amount * 10
    if scaled_amount != scaled_amount.to_integral_value():
        raise InvalidInput(field, "must be recorded to at most 0.1 mm", value)
    return int(scaled_amount)


def tenths_to_mm(tenths: int) -> Decimal:
    """Integer tenths of a mm back to a Decimal in mm (``105`` -> ``Decimal('10.5')``)."""
    return Decimal(tenths).scaleb(-1)


def parse_method(value: object, field: str) -> Method:
    """The measurement method; ultrasound is refused (RECIST 1.1 §3.2.2)."""
    if isinstance(value, Method):
        return value
    if isinstance(value, str) and value.strip().lower() in ("us", "ultrasound"):
        raise InvalidInput(
            field, "ultrasound must not be used to measure lesions (RECIST 1.1 §3.2.2)", value
        )
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return Method(value)
    except ValueError:
        raise UnknownTerm(field, value, list(Method)) from None


def organ_key(lesion: Lesion | NonTargetLesion) -> str:
    """The organ a lesion counts against: all lymph nodes together are one organ."""
    return NODE_ORGAN if lesion.nodal else lesion.organ.strip().lower()


@dataclass(frozen=True)
class BaselineSummary:
    """A validated baseline: target ids, nodal flags and diameters (tenths of a mm)."""

    baseline: Baseline
    target_ids: tuple[str, ...]
    nodal: tuple[bool, ...]
    diameters_tenth_mm: tuple[int, ...]
    has_non_targets: bool

    @property
    def sum_tenth_mm(self) -> int:
        return sum(self.diameters_tenth_mm)

    @property
    def sum_diameters_mm(self) -> Decimal:
        """Baseline sum of diameters: longest diameters plus node short axes (RECIST 1.1 §4.2)."""
        return tenths_to_mm(self.sum_tenth_mm)


def _minimum_tenths(lesion: Lesion, method: Method, slice_tenths: int | None) -> tuple[int, str]:
    if lesion.nodal:
        return NODE_TARGET_MIN_TENTHS, "a nodal target needs a short axis >= 15 mm"
    if method is Method.CHEST_XRAY:
        return CHEST_XRAY_MIN_TENTHS, "a lesion on chest X-ray needs a longest diameter >= 20 mm"
    if method is Method.CALIPER:
        return LESION_MIN_TENTHS, "a lesion measured by calipers needs a longest diameter >= 10 mm"
    if slice_tenths is not None and slice_tenths > THIN_SLICE_TENTHS:
        minimum = 2 * slice_tenths
        shown = tenths_to_mm(minimum)
        return minimum, f"with slices > 5 mm a lesion needs a longest diameter >= {shown} mm"
    return LESION_MIN_TENTHS, "a non-nodal target needs a longest diameter >= 10 mm"


def _target_tenths(lesion: Lesion, where: str) -> int:
    """Validate one target lesion; return its baseline diameter (tenths of a mm)."""
    if not isinstance(lesion, Lesion):
        raise InvalidInput(where, "must be a Lesion", lesion)
    if not isinstance(lesion.lesion_id, str) or not lesion.lesion_id.strip():
        raise InvalidInput(f"{where}.lesion_id", "must be a non-empty text", lesion.lesion_id)
    if not isinstance(lesion.organ, str) or not lesion.organ.strip():
        raise InvalidInput(f"{where}.organ", "must be a non-empty text", lesion.organ)
    method = parse_method(lesion.method, f"{where}.method")
    slice_tenths = None
    if lesion.slice_thickness_mm is not None:
        slice_tenths = diameter_tenths(lesion.slice_thickness_mm, f"{where}.slice_thickness_mm")
        if slice_tenths == 0:
            raise InvalidInput(f"{where}.slice_thickness_mm", "must be positive", 0)
    if lesion.nodal:
        name, raw = "short_axis_mm", lesion.short_axis_mm
        if method not in (Method.CT, Method.MRI):
            raise InvalidInput(
                f"{where}.method",
                "a lymph node is measured on CT or MRI (RECIST 1.1 §3.1)",
                method.value,
            )
        missing = "required for a nodal lesion (RECIST 1.1 §3.1)"
    else:
        name, raw = "longest_diameter_mm", lesion.longest_diameter_mm
        missing = "required for a non-nodal lesion (RECIST 1.1 §3.1)"
    if raw is None:
        raise InvalidInput(f"{where}.{name}", missing)
    tenths = diameter_tenths(raw, f"{where}.{name}")
    minimum, rule = _minimum_tenths(lesion, method, slice_tenths)
    if tenths < minimum:
        advice = (
            "; record a node of 10 to < 15 mm as non-target"
            if lesion.nodal and tenths >= NODE_PATHOLOGICAL_TENTHS
            else ""
        )
        raise InvalidInput(
            f"{where}.{name}", f"not measurable; {rule} (RECIST 1.1 §3.1){advice}", raw
        )
    return tenths


def validate_baseline(baseline: Baseline) -> BaselineSummary:
    """Check a baseline against RECIST 1.1 §3.1 and §4.2 and summarise it.

    Every target must be measurable (non-nodal >= 10 mm on CT/MRI with slices <= 5 mm, else
    2 x slice; calipers >= 10 mm; chest X-ray >= 20 mm; nodes >= 15 mm short axis on CT/MRI);
    at most 5 targets in total and at most 2 per organ (all nodes = one organ); ids unique;
    some disease (target or non-target) recorded.

    Raises
    ------
    InvalidInput
        Naming the field (``baseline.targets[5]``, ``baseline.targets[0].short_axis_mm``...)
        and the rule broken.
    """
    if not isinstance(baseline, Baseline):
        raise InvalidInput("baseline", "must be a Baseline", baseline)
    if not isinstance(baseline.date, dt.date) or isinstance(baseline.date, dt.datetime):
        raise InvalidInput("baseline.date", "must be a date", baseline.date)
    if not isinstance(baseline.targets, tuple | list):
        raise InvalidInput("baseline.targets", "must be a tuple of Lesion", baseline.targets)
    if not isinstance(baseline.non_targets, tuple | list):
        raise InvalidInput(
            "baseline.non_targets", "must be a tuple of NonTargetLesion", baseline.non_targets
        )
    targets = tuple(baseline.targets)
    non_targets = tuple(baseline.non_targets)
    if not targets and not non_targets:
        raise InvalidInput(
            "baseline.targets", "no target or non-target disease recorded; RECIST needs disease"
        )
    seen: set[str] = set()
    per_organ: dict[str, int] = {}
    diameters: list[int] = []
    for index, lesion in enumerate(targets):
        where = f"baseline.targets[{index}]"
        if index >= MAX_TARGETS:
            raise InvalidInput(
                where,
                f"a {_ORDINALS[min(index, 5)]} target lesion; at most {MAX_TARGETS} in total "
                "(RECIST 1.1 §4.2)",
                getattr(lesion, "lesion_id", lesion),
            )
        diameters.append(_target_tenths(lesion, where))
        if lesion.lesion_id in seen:
            raise InvalidInput(f"{where}.lesion_id", "duplicate lesion id", lesion.lesion_id)
        seen.add(lesion.lesion_id)
        organ = organ_key(lesion)
        per_organ[organ] = per_organ.get(organ, 0) + 1
        if per_organ[organ] > MAX_TARGETS_PER_ORGAN:
            raise InvalidInput(
                where,
                f"a {_ORDINALS[per_organ[organ] - 1]} target lesion in organ '{organ}'; at most "
                f"{MAX_TARGETS_PER_ORGAN} per organ, all lymph nodes counting as one "
                "(RECIST 1.1 §4.2)",
                lesion.lesion_id,
            )
    for index, other in enumerate(non_targets):
        where = f"baseline.non_targets[{index}]"
        if not isinstance(other, NonTargetLesion):
            raise InvalidInput(where, "must be a NonTargetLesion", other)
        if not isinstance(other.lesion_id, str) or not other.lesion_id.strip():
            raise InvalidInput(f"{where}.lesion_id", "must be a non-empty text", other.lesion_id)
        if not isinstance(other.organ, str) or not other.organ.strip():
            raise InvalidInput(f"{where}.organ", "must be a non-empty text", other.organ)
        if other.lesion_id in seen:
            raise InvalidInput(f"{where}.lesion_id", "duplicate lesion id", other.lesion_id)
        seen.add(other.lesion_id)
    return BaselineSummary(
        baseline=baseline,
        target_ids=tuple(lesion.lesion_id for lesion in targets),
        nodal=tuple(bool(lesion.nodal) for lesion in targets),
        diameters_tenth_mm=tuple(diameters),
        has_non_targets=bool(non_targets),
    )
