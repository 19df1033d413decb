"""The report's analysis on hand-made datasets: primary endpoint, tables, flow, safety."""

from __future__ import annotations

import dataclasses

from ramunet.report.analysis import analyse
from ramunet.stats.binomial import clopper_pearson, exact_p_value
from tests.report.datasets import small_trial


def test_primary_endpoint_counts_successes_among_treated_patients():
    results = analyse(small_trial(12, successes=9))
    assert (results.primary.x, results.primary.n) == (9, 12)


def test_primary_p_value_and_intervals_equal_the_exact_binomial():
    primary = analyse(small_trial(45, successes=33)).primary
    assert primary.p_value == exact_p_value(33, 45, 0.60)
    assert (primary.cp90.lower, primary.cp90.upper) == (
        clopper_pearson(33, 45, 0.90).lower,
        clopper_pearson(33, 45, 0.90).upper,
    )


def test_33_of_45_is_a_success_against_the_design():
    table = analyse(small_trial(45, successes=33)).table("primary")
    cells = dict(table.rows)
    assert cells["Disease control at 6 months"] == "33 of 45 (73.3%)"
    assert cells["Decision rule"] == "success if \u2265 33 of 45"
    assert cells["Decision"] == "H0 rejected: success"


def test_32_of_45_is_not_a_success():
    cells = dict(analyse(small_trial(45, successes=32)).table("primary").rows)
    assert cells["Decision"] == "H0 not rejected"


def test_primary_table_states_the_90_percent_interval_is_two_sided():
    labels = [row[0] for row in analyse(small_trial()).table("primary").rows]
    assert "Clopper-Pearson 90% CI (two-sided; = one-sided \u03b1 0.05)" in labels


def test_patient_without_derived_endpoint_counts_as_failure():
    dataset = small_trial(12, successes=12)
    dropped = dataclasses.replace(dataset, endpoints=dataset.endpoints[1:])
    primary = analyse(dropped).primary
    assert (primary.x, primary.n) == (11, 12)


def test_untreated_patient_is_registered_but_not_in_the_analysis_set():
    results = analyse(small_trial(12))
    assert (results.n_registered, results.n_treated) == (13, 12)
    assert (results.consort.registered, results.consort.treated) == (13, 12)


def test_consort_screening_failures_are_grouped_by_first_reason_with_criterion_text():
    failures = analyse(small_trial()).consort.screening_failures
    assert failures["declined participation"] == 1
    assert sum(failures.values()) == 2
    assert any(reason.startswith("IN09 ") for reason in failures)


def test_two_analyses_of_one_dataset_give_identical_tables():
    assert analyse(small_trial()).tables == analyse(small_trial()).tables


def test_toxicity_table_highlights_grade_3_and_above_only():
    table = analyse(small_trial(12)).table("toxicity")
    hypertension = next(i for i, row in enumerate(table.rows) if row[0] == "Hypertension")
    marked = {column for row, column in table.emphasised if row == hypertension}
    assert marked == {3, 4, 7}  # G3 and G4 counts > 0, grade >= 3; G5 is 0


def test_lab_toxicities_join_the_adverse_event_terms():
    terms = [row[0] for row in analyse(small_trial()).table("toxicity").rows]
    assert "Neutrophil count decreased" in terms


def test_sae_listing_holds_every_serious_event_of_treated_patients():
    dataset = small_trial(12)
    expected = sum(1 for e in dataset.adverse_events if e.serious)
    assert len(analyse(dataset).sae) == expected == 3


def test_waterfall_best_change_is_the_smallest_change_from_baseline():
    dataset = small_trial(12)
    course = analyse(dataset).course
    first = course.waterfall_ids[0]
    changes = [p.change_from_baseline_pct for p in dataset.tumour if p.patient == first]
    assert course.best_change_pct[0] == min(changes)


def test_swimmer_events_never_fall_after_the_follow_up():
    course = analyse(small_trial(12)).course
    for end, follow in zip(course.treatment_end_months, course.follow_up_months, strict=True):
        assert not end > follow


def test_survival_table_gives_median_with_interval_for_pfs():
    rows = dict((row[0], row[1]) for row in analyse(small_trial(12)).table("survival").rows)
    assert rows["Events / patients"] == "6 of 12"
    assert "(" in rows["Median, months (95% CI)"]


def test_snapshot_hash_is_stable_and_ignores_the_audit_position():
    dataset = small_trial()
    moved = dataclasses.replace(dataset, audit_seq=999, audit_head_hash="cd" * 32)
    assert dataset.snapshot_hash() == moved.snapshot_hash()


def test_snapshot_hash_changes_with_one_value():
    dataset = small_trial()
    first = dataset.endpoints[0]
    changed = dataclasses.replace(
        dataset,
        endpoints=(
            dataclasses.replace(first, month6_success=not first.month6_success),
            *dataset.endpoints[1:],
        ),
    )
    assert changed.snapshot_hash() != dataset.snapshot_hash()
