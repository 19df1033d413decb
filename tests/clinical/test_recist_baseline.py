"""RECIST 1.1 baseline validation: measurability and target selection.

Eisenhauer et al., Eur J Cancer 2009;45:228-247, §3.1, §3.2.2, §4.2; clinical-rules.md §1.1-1.2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.recist import (
    Baseline,
    Lesion,
    Method,
    NonTargetLesion,
    validate_baseline,
)

DAY = dt.date(2024, 1, 1)


def liver(mm: object, lesion_id: str = "L1", **extra: object) -> Lesion:
    return Lesion(lesion_id, "liver", longest_diameter_mm=mm, **extra)  # type: ignore[arg-type]


def node(mm: object, lesion_id: str = "N1", **extra: object) -> Lesion:
    return Lesion(lesion_id, "abdomen", nodal=True, short_axis_mm=mm, **extra)  # type: ignore[arg-type]


def check(*targets: Lesion, non_targets: tuple[NonTargetLesion, ...] = ()) -> object:
    return validate_baseline(Baseline(DAY, targets, non_targets))


def refused(*targets: Lesion) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check(*targets)
    return caught.value


def test_lesion_of_10_mm_is_measurable():
    summary = validate_baseline(Baseline(DAY, (liver(10),)))
    assert summary.sum_diameters_mm == Decimal(10)


def test_lesion_of_9_9_mm_is_not_measurable():
    error = refused(liver("9.9"))
    assert str(error) == (
        "baseline.targets[0].longest_diameter_mm '9.9': not measurable; a non-nodal target "
        "needs a longest diameter >= 10 mm (RECIST 1.1 §3.1)"
    )


def test_node_of_15_mm_short_axis_is_a_target():
    assert validate_baseline(Baseline(DAY, (node(15),))).sum_diameters_mm == Decimal(15)


def test_node_of_14_9_mm_is_non_target_only():
    error = refused(node("14.9"))
    assert str(error) == (
        "baseline.targets[0].short_axis_mm '14.9': not measurable; a nodal target needs a short "
        "axis >= 15 mm (RECIST 1.1 §3.1); record a node of 10 to < 15 mm as non-target"
    )


def test_node_of_9_9_mm_is_normal():
    error = refused(node("9.9"))
    assert str(error) == (
        "baseline.targets[0].short_axis_mm '9.9': not measurable; a nodal target needs a short "
        "axis >= 15 mm (RECIST 1.1 §3.1)"
    )


def test_node_without_short_axis_is_refused():
    error = refused(Lesion("N1", "abdomen", nodal=True, longest_diameter_mm=30))
    assert str(error) == (
        "baseline.targets[0].short_axis_mm: required for a nodal lesion (RECIST 1.1 §3.1)"
    )
    assert error.field == "baseline.targets[0].short_axis_mm"


def test_non_nodal_lesion_without_longest_diameter_is_refused():
    error = refused(Lesion("L1", "liver", short_axis_mm=30))
    assert str(error) == (
        "baseline.targets[0].longest_diameter_mm: required for a non-nodal lesion (RECIST 1.1 §3.1)"
    )


def test_negative_diameter_is_refused():
    error = refused(liver(-12))
    assert str(error) == "baseline.targets[0].longest_diameter_mm -12: must not be negative"


def test_diameter_finer_than_a_tenth_of_a_mm_is_refused():
    error = refused(liver("12.25"))
    assert str(error) == (
        "baseline.targets[0].longest_diameter_mm '12.25': must be recorded to at most 0.1 mm"
    )


def test_sum_of_diameters_adds_longest_diameters_and_node_short_axes():
    # 30 + 21.5 + 15 = 66.5 mm (RECIST 1.1 §4.2)
    summary = validate_baseline(
        Baseline(DAY, (liver(30), Lesion("P1", "lung", longest_diameter_mm="21.5"), node(15)))
    )
    assert summary.sum_diameters_mm == Decimal("66.5")


def test_five_targets_are_allowed():
    organs = ("liver", "lung", "bone", "pancreas", "spleen")
    targets = tuple(
        Lesion(f"T{i}", organ, longest_diameter_mm=20) for i, organ in enumerate(organs)
    )
    assert len(validate_baseline(Baseline(DAY, targets)).target_ids) == 5


def test_sixth_target_lesion_is_refused():
    organs = ("liver", "lung", "bone", "pancreas", "spleen", "peritoneum")
    targets = tuple(
        Lesion(f"T{i + 1}", organ, longest_diameter_mm=20) for i, organ in enumerate(organs)
    )
    error = refused(*targets)
    assert str(error) == (
        "baseline.targets[5] 'T6': a sixth target lesion; at most 5 in total (RECIST 1.1 §4.2)"
    )


def test_two_targets_in_one_organ_are_allowed():
    assert check(liver(20, "L1"), liver(30, "L2"))


def test_third_target_in_one_organ_is_refused():
    error = refused(liver(20, "L1"), liver(30, "L2"), liver(40, "L3"))
    assert str(error) == (
        "baseline.targets[2] 'L3': a third target lesion in organ 'liver'; at most 2 per organ, "
        "all lymph nodes counting as one (RECIST 1.1 §4.2)"
    )


def test_organ_names_compare_without_case():
    error = refused(
        liver(20, "L1"), liver(30, "L2"), Lesion("L3", " Liver", longest_diameter_mm=40)
    )
    assert error.field == "baseline.targets[2]"


def test_lymph_nodes_at_different_stations_count_as_one_organ():
    error = refused(
        node(20, "N1"), Lesion("N2", "mediastinum", nodal=True, short_axis_mm=20), node(16, "N3")
    )
    assert str(error) == (
        "baseline.targets[2] 'N3': a third target lesion in organ 'lymph node'; at most 2 per "
        "organ, all lymph nodes counting as one (RECIST 1.1 §4.2)"
    )


def test_thick_slices_raise_the_minimum_to_twice_the_slice():
    # slice 8 mm > 5 mm: minimum 16 mm (RECIST 1.1 §3.1)
    assert check(liver(16, slice_thickness_mm=8))
    error = refused(liver("15.9", slice_thickness_mm=8))
    assert str(error) == (
        "baseline.targets[0].longest_diameter_mm '15.9': not measurable; with slices > 5 mm a "
        "lesion needs a longest diameter >= 16.0 mm (RECIST 1.1 §3.1)"
    )


def test_slices_of_5_mm_keep_the_10_mm_minimum():
    assert check(liver(10, slice_thickness_mm=5))


def test_chest_xray_lesion_needs_20_mm():
    lung = Lesion("P1", "lung", longest_diameter_mm=20, method=Method.CHEST_XRAY)
    assert check(lung)
    error = refused(Lesion("P1", "lung", longest_diameter_mm="19.9", method=Method.CHEST_XRAY))
    assert str(error) == (
        "baseline.targets[0].longest_diameter_mm '19.9': not measurable; a lesion on chest X-ray "
        "needs a longest diameter >= 20 mm (RECIST 1.1 §3.1)"
    )


def test_caliper_lesion_needs_10_mm():
    assert check(Lesion("S1", "skin", longest_diameter_mm=10, method="caliper"))
    error = refused(Lesion("S1", "skin", longest_diameter_mm="9.9", method="caliper"))
    assert error.field == "baseline.targets[0].longest_diameter_mm"


def test_ultrasound_is_refused():
    error = refused(liver(20, method="ultrasound"))
    assert str(error) == (
        "baseline.targets[0].method 'ultrasound': ultrasound must not be used to measure "
        "lesions (RECIST 1.1 §3.2.2)"
    )


def test_unknown_method_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        check(liver(20, method="pet"))
    assert str(caught.value) == (
        "baseline.targets[0].method 'pet': not recognised; expected ct, mri, caliper, chest_xray"
    )


def test_node_measured_by_calipers_is_refused():
    error = refused(node(20, method=Method.CALIPER))
    assert str(error) == (
        "baseline.targets[0].method 'caliper': a lymph node is measured on CT "
        "or MRI (RECIST 1.1 §3.1)"
    )


def test_duplicate_lesion_id_is_refused():
    error = refused(liver(20, "L1"), Lesion("L1", "lung", longest_diameter_mm=20))
    assert str(error) == "baseline.targets[1].lesion_id 'L1': duplicate lesion id"


def test_baseline_without_disease_is_refused():
    with pytest.raises(InvalidInput) as caught:
        check()
    assert str(caught.value) == (
        "baseline.targets: no target or non-target disease recorded; RECIST needs disease"
    )


def test_non_target_only_baseline_is_accepted():
    summary = validate_baseline(Baseline(DAY, (), (NonTargetLesion("NT1", "bone"),)))
    assert summary.has_non_targets
    assert summary.sum_diameters_mm == 0
