"""RECIST 1.1 time-point responses: target thresholds, missing lesions, new lesions and the
overall-response tables.

Eisenhauer et al., Eur J Cancer 2009;45:228-247, §4.3.1-4.3.5, §4.4.1 Tables 1 and 2, §4.4.2;
clinical-rules.md §1.3-1.8, §1.13.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.recist import (
    TOO_SMALL_TO_MEASURE,
    Assessment,
    Baseline,
    Lesion,
    NewLesions,
    NonTargetLesion,
    NonTargetStatus,
    RecistResult,
    Response,
    TimepointResult,
    classify_overall_response,
    evaluate,
)

FIRST_DOSE = dt.date(2024, 1, 8)
CR, PR, SD, PD, NE, NA = (
    Response.CR,
    Response.PR,
    Response.SD,
    Response.PD,
    Response.NE,
    Response.NA,
)
NN = Response.NON_CR_NON_PD


def on_day(day: int) -> dt.date:
    return FIRST_DOSE + dt.timedelta(days=day)


def run(
    targets: tuple[Lesion, ...],
    *scans: dict[str, object],
    non_targets: bool = False,
    statuses: tuple[NonTargetStatus | None, ...] = (),
    new: tuple[NewLesions, ...] = (),
) -> RecistResult:
    others = (NonTargetLesion("NT1", "bone"),) if non_targets else ()
    followups = [
        Assessment(
            on_day(84 * (i + 1)),
            mm,  # type: ignore[arg-type]
            statuses[i] if i < len(statuses) else None,
            new[i] if i < len(new) else NewLesions.NONE,
        )
        for i, mm in enumerate(scans)
    ]
    baseline = Baseline(FIRST_DOSE - dt.timedelta(days=7), targets, others)
    return evaluate(baseline, followups, first_dose=FIRST_DOSE)


def liver(mm: object, lesion_id: str = "L1") -> Lesion:
    return Lesion(lesion_id, "liver", longest_diameter_mm=mm)  # type: ignore[arg-type]


def node(mm: object, lesion_id: str = "N1") -> Lesion:
    return Lesion(lesion_id, "abdomen", nodal=True, short_axis_mm=mm)  # type: ignore[arg-type]


def target_after(baseline_mm: object, *follow_mm: object) -> list[Response]:
    result = run((liver(baseline_mm),), *({"L1": mm} for mm in follow_mm))
    return [point.target for point in result.timepoints]


def test_exactly_30_percent_decrease_is_partial_response():
    # 100 -> 70 mm: S <= 0.7 x B (RECIST 1.1 §4.3.1)
    assert target_after(100, 70) == [PR]


def test_29_9_percent_decrease_is_stable_disease():
    # 100 -> 70.1 mm: -29.9%
    assert target_after(100, "70.1") == [SD]


def test_20_percent_and_5_mm_increase_is_progression():
    # 25 -> 30 mm: +20% and +5.0 mm, both inclusive (§4.3.1)
    assert target_after(25, 30) == [PD]


def test_20_percent_but_4_9_mm_increase_is_not_progression():
    # 24.5 -> 29.4 mm: exactly +20% but only +4.9 mm
    assert target_after("24.5", "29.4") == [SD]


def test_19_9_percent_increase_is_not_progression_even_with_many_mm():
    # 100 -> 119.9 mm: +19.9 mm but only +19.9%
    assert target_after(100, "119.9") == [SD]


def test_20_percent_increase_of_100_mm_is_progression():
    assert target_after(100, 120) == [PD]


def test_progression_is_measured_from_the_nadir_not_baseline():
    # 100 -> 60 (PR, nadir 60) -> 72: +20% and +12 mm over the nadir while 28% below baseline
    assert target_after(100, 60, 72) == [PR, PD]


def test_nadir_includes_baseline():
    # 50 -> 55 -> 60: nadir stays the baseline 50; 60 is +20% and +10 mm
    assert target_after(50, 55, 60) == [SD, PD]


def test_disappearance_of_all_non_nodal_targets_is_complete_response():
    assert target_after(30, 0) == [CR]


def test_too_small_to_measure_is_5_mm_and_not_complete_response():
    # RECIST 1.1 §4.3.2: a lesion too small to measure is 5 mm; 5 <= 0.7 x 30 -> PR
    result = run((liver(30),), {"L1": TOO_SMALL_TO_MEASURE})
    assert result.timepoints[0].target is PR
    assert result.timepoints[0].sum_diameters_mm == Decimal(5)


def test_node_below_10_mm_short_axis_allows_complete_response():
    # L1 gone, node 9.9 mm: CR with a non-zero sum (RECIST 1.1 §4.3.1, §4.3.2)
    result = run((liver(20), node(20)), {"L1": 0, "N1": "9.9"})
    assert result.timepoints[0].target is CR
    assert result.timepoints[0].sum_diameters_mm == Decimal("9.9")


def test_node_at_10_mm_short_axis_prevents_complete_response():
    # node 10 mm is still pathological; sum 10 <= 0.7 x 40 -> PR
    result = run((liver(20), node(20)), {"L1": 0, "N1": 10})
    assert result.timepoints[0].target is PR


def test_too_small_node_counts_as_normal():
    result = run((liver(20), node(20)), {"L1": 0, "N1": TOO_SMALL_TO_MEASURE})
    assert result.timepoints[0].target is CR


def test_nodes_staying_below_10_mm_remain_complete_response_whatever_the_sum():
    # register A-R1: nodes 15+15 -> 3+3 (CR, nadir 6) -> 9.9+9.9 (+13.8 mm, +230%): CR first
    result = run((node(15, "N1"), node(15, "N2")), {"N1": 3, "N2": 3}, {"N1": "9.9", "N2": "9.9"})
    assert [point.target for point in result.timepoints] == [CR, CR]


def test_unmeasured_target_makes_the_time_point_not_evaluable():
    result = run((liver(30, "L1"), liver(20, "L2")), {"L1": 10, "L2": None})
    assert result.timepoints[0].target is NE
    assert not result.timepoints[0].sum_complete


def test_missing_lesion_id_counts_as_not_assessed():
    result = run((liver(30, "L1"), liver(20, "L2")), {"L1": 10})
    assert result.timepoints[0].target is NE


def test_partial_sum_meeting_progression_is_progression():
    # RECIST 1.1 §4.4.2 example: baseline 50 mm on three lesions, two lesions at 80 mm -> PD
    targets = (liver(20, "L1"), Lesion("P1", "lung", longest_diameter_mm=15), node(15))
    result = run(targets, {"L1": 50, "P1": 30, "N1": None})
    assert result.timepoints[0].target is PD


def test_partial_sum_short_of_progression_is_not_evaluable():
    targets = (liver(20, "L1"), Lesion("P1", "lung", longest_diameter_mm=15), node(15))
    result = run(targets, {"L1": 30, "P1": 29, "N1": None})
    assert result.timepoints[0].target is NE


def test_no_imaging_is_not_evaluable():
    result = run((liver(30),), {})
    assert result.timepoints[0].target is NE
    assert result.timepoints[0].overall is NE
    assert result.timepoints[0].sum_diameters_mm is None


def test_incomplete_time_point_does_not_update_the_nadir():
    # 100 on L1+L2; NE with partial 40; then 50+50 = 100 is compared with nadir 100 (SD)
    targets = (liver(50, "L1"), liver(50, "L2"))
    result = run(targets, {"L1": 40}, {"L1": 50, "L2": 50})
    assert result.timepoints[1].nadir_tenth_mm == 1000
    assert result.timepoints[1].target is SD


def test_percent_changes_from_baseline_and_nadir():
    # 100 -> 60 (-40%) -> 72: -28% from baseline, +20% from the nadir 60
    result = run((liver(100),), {"L1": 60}, {"L1": 72})
    point = result.timepoints[1]
    assert point.change_from_baseline_pct == Decimal("-28.0")
    assert point.change_from_nadir_pct == Decimal("20.0")
    assert point.nadir_mm == Decimal("60.0")


def test_change_from_nadir_is_none_at_a_zero_nadir():
    result = run((liver(30),), {"L1": 0}, {"L1": 5})
    assert result.timepoints[1].change_from_nadir_pct is None


def test_reappearing_lesion_after_complete_response_is_progression():
    # nadir 0 mm; +5 mm meets both PD rules
    assert target_after(30, 0, 5) == [CR, PD]


def test_unequivocal_new_lesion_means_progression():
    result = run((liver(30),), {"L1": 10}, new=(NewLesions.UNEQUIVOCAL,))
    assert result.timepoints[0].overall is PD


def test_equivocal_new_lesion_is_not_progression_at_the_time():
    result = run((liver(30),), {"L1": 10}, new=(NewLesions.EQUIVOCAL,))
    assert result.timepoints[0].overall is PR


def test_unassessed_non_target_disease_is_not_evaluable():
    result = run((liver(30),), {"L1": 30}, non_targets=True)
    assert result.timepoints[0].non_target is NE
    assert result.timepoints[0].overall is SD


def test_without_non_target_disease_the_column_is_not_applicable():
    result = run((liver(30),), {"L1": 0})
    assert result.timepoints[0].non_target is NA
    assert result.timepoints[0].overall is CR


def test_non_target_status_without_non_target_disease_is_refused():
    with pytest.raises(InvalidInput) as caught:
        run((liver(30),), {"L1": 30}, statuses=(NonTargetStatus.PD,))
    assert str(caught.value) == (
        "followups[0].non_target 'PD': baseline recorded no non-target lesion; expected None"
    )


def test_unequivocal_non_target_progression_means_progression():
    result = run((liver(30),), {"L1": 10}, non_targets=True, statuses=(NonTargetStatus.PD,))
    assert result.timepoints[0].overall is PD


# RECIST 1.1 Table 1 (Eisenhauer 2009, §4.4.1): target, non-target, new lesion -> overall
TABLE_1 = [
    (CR, CR, False, CR),
    (CR, NA, False, CR),
    (CR, NN, False, PR),
    (CR, NE, False, PR),
    (PR, NN, False, PR),
    (PR, NE, False, PR),
    (PR, CR, False, PR),
    (PR, NA, False, PR),
    (SD, NN, False, SD),
    (SD, NE, False, SD),
    (SD, CR, False, SD),
    (SD, NA, False, SD),
    (NE, NN, False, NE),
    (NE, CR, False, NE),
    (NE, NA, False, NE),
    (NE, NE, False, NE),
    (PD, CR, False, PD),
    (PD, NN, False, PD),
    (PD, NE, False, PD),
    (PD, NA, True, PD),
    (CR, PD, False, PD),
    (PR, PD, True, PD),
    (NE, PD, False, PD),
    (CR, CR, True, PD),
    (PR, NN, True, PD),
    (SD, NE, True, PD),
    (NE, NA, True, PD),
]


@pytest.mark.parametrize(("target", "non_target", "new", "overall"), TABLE_1)
def test_table_1_overall_response(target, non_target, new, overall):
    assert classify_overall_response(target, non_target, new) is overall


# RECIST 1.1 Table 2 (non-target disease only): non-target, new lesion -> overall
TABLE_2 = [
    (CR, False, CR),
    (NN, False, NN),
    (NE, False, NE),
    (PD, False, PD),
    (PD, True, PD),
    (CR, True, PD),
    (NN, True, PD),
    (NE, True, PD),
]


@pytest.mark.parametrize(("non_target", "new", "overall"), TABLE_2)
def test_table_2_overall_response(non_target, new, overall):
    assert classify_overall_response(NA, non_target, new) is overall


def test_non_target_only_follow_up_uses_table_2():
    baseline = Baseline(FIRST_DOSE, (), (NonTargetLesion("NT1", "peritoneum"),))
    scan = Assessment(on_day(84), {}, NonTargetStatus.NON_CR_NON_PD)
    point = evaluate(baseline, [scan], first_dose=FIRST_DOSE).timepoints[0]
    assert (point.target, point.overall) == (NA, NN)


def test_misplaced_category_is_refused():
    with pytest.raises(InvalidInput) as caught:
        classify_overall_response(NN, CR, False)
    assert str(caught.value) == "target 'NON-CR/NON-PD': expected CR, PR, SD, PD, NE or NA"


def test_sum_drifting_above_minus_30_percent_after_confirmed_pr_is_sd():
    # register A-R4 (literal rule): 100 -> 60 -> 60 (confirmed PR) -> 71 mm: -29% from
    # baseline, +18.3% over the nadir 60 -> SD; best overall response stays PR
    result = run((liver(100),), {"L1": 60}, {"L1": 60}, {"L1": 71})
    assert [point.overall for point in result.timepoints] == [PR, PR, SD]
    assert result.confirmed_best_overall_response is PR


def test_node_back_to_10_mm_after_unconfirmed_cr_is_pr():
    # register A-R2: literal reading, no arithmetic PD (nadir 8, now 10: +2 mm)
    result = run((node(20),), {"N1": 8}, {"N1": 10})
    assert [point.target for point in result.timepoints] == [CR, PR]


def test_fast_timepoint_construction_equals_the_dataclass():
    result = run((liver(40),), {"L1": 20})
    point = result.timepoints[0]
    assert point == TimepointResult(
        date=on_day(84),
        day=84,
        sum_tenth_mm=200,
        sum_complete=True,
        baseline_tenth_mm=400,
        nadir_tenth_mm=400,
        target=PR,
        non_target=NA,
        new_lesions=NewLesions.NONE,
        overall=PR,
    )
    assert result.baseline_sum_mm == Decimal(40)
