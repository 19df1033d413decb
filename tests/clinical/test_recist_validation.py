"""``evaluate`` refuses invalid follow-up input with the field named, and property tests: no
valid input crashes, invalid input raises ``InvalidInput`` naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.recist import (
    TOO_SMALL_TO_MEASURE,
    Assessment,
    Baseline,
    Lesion,
    NewLesions,
    NonTargetLesion,
    NonTargetStatus,
    Response,
    evaluate,
)

FIRST_DOSE = dt.date(2024, 1, 8)
BASELINE = Baseline(
    FIRST_DOSE,
    (
        Lesion("L1", "liver", longest_diameter_mm=40),
        Lesion("N1", "pelvis", nodal=True, short_axis_mm=20),
    ),
    (NonTargetLesion("NT1", "bone"),),
)


def on_day(day: int) -> dt.date:
    return FIRST_DOSE + dt.timedelta(days=day)


def refused(*scans: Assessment, **kwargs: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        evaluate(BASELINE, scans, first_dose=kwargs.pop("first_dose", FIRST_DOSE), **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_negative_follow_up_diameter_is_refused():
    error = refused(Assessment(on_day(84), {"L1": -1, "N1": 10}))
    assert str(error) == "followups[0].target_mm['L1'] -1: must not be negative"


def test_unknown_lesion_id_is_refused():
    error = refused(Assessment(on_day(84), {"L9": 10}))
    assert isinstance(error, UnknownTerm)
    assert str(error) == "followups[0].target_mm 'L9': not recognised; expected L1, N1"


def test_follow_up_on_the_baseline_date_is_refused():
    error = refused(Assessment(FIRST_DOSE, {}))
    assert str(error) == "followups[0].date '2024-01-08': must be after baseline"


def test_follow_ups_out_of_order_are_refused():
    error = refused(Assessment(on_day(84), {}), Assessment(on_day(84), {}))
    assert str(error) == "followups[1].date '2024-04-01': must be after the previous assessment"


def test_first_dose_before_baseline_is_refused():
    error = refused(first_dose=FIRST_DOSE - dt.timedelta(days=1))
    assert str(error) == "first_dose '2024-01-07': must not be before baseline.date"


def test_datetime_is_refused_where_a_date_is_needed():
    error = refused(first_dose=dt.datetime(2024, 1, 8, tzinfo=dt.UTC))
    assert error.field == "first_dose"


def test_assessment_after_death_is_refused():
    error = refused(Assessment(on_day(84), {}), death_date=on_day(80))
    assert str(error) == "followups[0].date '2024-04-01': must not be after death_date"


def test_death_before_first_dose_is_refused():
    error = refused(death_date=on_day(-1))
    assert str(error) == "death_date '2024-01-07': must not be before first_dose"


def test_unknown_non_target_status_is_refused():
    error = refused(Assessment(on_day(84), {}, "worse"))  # type: ignore[arg-type]
    assert str(error) == (
        "followups[0].non_target 'worse': not recognised; expected CR, NON-CR/NON-PD, PD, NE"
    )


def test_unknown_new_lesion_value_is_refused():
    error = refused(Assessment(on_day(84), {}, new_lesions="maybe"))  # type: ignore[arg-type]
    assert str(error) == (
        "followups[0].new_lesions 'maybe': not recognised; expected none, equivocal, unequivocal"
    )


def test_follow_up_diameter_finer_than_a_tenth_is_refused():
    error = refused(Assessment(on_day(84), {"L1": 10.25, "N1": 10}))
    assert str(error) == "followups[0].target_mm['L1'] 10.25: must be recorded to at most 0.1 mm"


def test_non_number_diameter_is_refused():
    error = refused(Assessment(on_day(84), {"L1": "big", "N1": 10}))
    assert str(error) == "followups[0].target_mm['L1'] 'big': is not a number"


def test_diameter_above_1000_mm_is_refused():
    error = refused(Assessment(on_day(84), {"L1": 1001, "N1": 10}))
    assert str(error) == "followups[0].target_mm['L1'] 1001: must be at most 1000 mm"


def test_string_statuses_are_accepted():
    result = evaluate(
        BASELINE,
        [Assessment(on_day(84), {"L1": 0, "N1": 5}, "CR", "none")],  # type: ignore[arg-type]
        first_dose=FIRST_DOSE,
    )
    assert result.timepoints[0].overall is Response.CR


# --- property tests ---------------------------------------------------------------------

DIAMETER = st.one_of(
    st.none(),
    st.just(TOO_SMALL_TO_MEASURE),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=3000).map(lambda tenths: tenths / 10),
)


@st.composite
def courses(draw: st.DrawFn) -> tuple[Baseline, list[Assessment], dt.date | None]:
    organs = ["liver", "lung", "bone", "pancreas", "spleen"]
    count = draw(st.integers(min_value=0, max_value=5))
    targets = []
    for index in range(count):
        nodal = draw(st.booleans())
        size = draw(st.integers(min_value=150, max_value=2000)) / 10
        if nodal:
            targets.append(Lesion(f"T{index}", "node", nodal=True, short_axis_mm=size))
        else:
            targets.append(Lesion(f"T{index}", organs[index], longest_diameter_mm=size))
    nodes = [lesion for lesion in targets if lesion.nodal]
    if len(nodes) > 2:
        targets = [lesion for lesion in targets if not lesion.nodal] + nodes[:2]
    has_non_targets = draw(st.booleans()) or not targets
    non_targets = (NonTargetLesion("NT", "peritoneum"),) if has_non_targets else ()
    baseline = Baseline(FIRST_DOSE, tuple(targets), non_targets)
    days = sorted(draw(st.sets(st.integers(min_value=1, max_value=800), max_size=12)))
    scans = []
    equivocal: list[int] = []
    for day in days:
        mm = {lesion.lesion_id: draw(DIAMETER) for lesion in targets}
        status = draw(st.sampled_from(list(NonTargetStatus))) if has_non_targets else None
        new = draw(st.sampled_from(list(NewLesions)))
        confirms = None
        if new is NewLesions.UNEQUIVOCAL and equivocal and draw(st.booleans()):
            confirms = on_day(draw(st.sampled_from(equivocal)))
        if new is NewLesions.EQUIVOCAL:
            equivocal.append(day)
        scans.append(Assessment(on_day(day), mm, status, new, confirms))
    death = draw(st.none() | st.integers(min_value=max(days, default=0), max_value=900))
    return baseline, scans, None if death is None else on_day(death)


@settings(max_examples=300, deadline=None)
@given(courses())
def test_no_valid_course_crashes(course):
    baseline, scans, death = course
    result = evaluate(baseline, scans, first_dose=FIRST_DOSE, death_date=death)
    assert len(result.timepoints) == len(scans)
    assert isinstance(result.disease_control.success, bool)
    if result.progression_date is not None:
        assert result.pfs.event
        assert result.pfs.date <= result.progression_date


BAD_DIAMETER = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=1001),
    st.just(Decimal("1E+999999")),
    st.floats(max_value=-0.1),
    st.just(float("nan")),
    st.just(float("inf")),
    st.text(alphabet="abcxyz", min_size=1),
    st.just(True),
    st.just([1]),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).filter(
        lambda value: value * 10 != int(value * 10)
    ),
)


@settings(max_examples=200, deadline=None)
@given(bad=BAD_DIAMETER, lesion=st.sampled_from(["L1", "N1"]))
def test_invalid_follow_up_diameter_names_the_field(bad, lesion):
    scan = Assessment(on_day(84), {"L1": 10, "N1": 10, lesion: bad})
    with pytest.raises(InvalidInput) as caught:
        evaluate(BASELINE, [scan], first_dose=FIRST_DOSE)
    assert caught.value.field == f"followups[0].target_mm[{lesion!r}]"


@settings(max_examples=200, deadline=None)
@given(bad=BAD_DIAMETER, nodal=st.booleans())
def test_invalid_baseline_diameter_names_the_field(bad, nodal):
    if nodal:
        lesion = Lesion("X", "node", nodal=True, short_axis_mm=bad)
        field = "baseline.targets[0].short_axis_mm"
    else:
        lesion = Lesion("X", "liver", longest_diameter_mm=bad)
        field = "baseline.targets[0].longest_diameter_mm"
    with pytest.raises(InvalidInput) as caught:
        evaluate(Baseline(FIRST_DOSE, (lesion,)), [], first_dose=FIRST_DOSE)
    assert caught.value.field == field
