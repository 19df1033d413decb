"""The screening log: candidates without names, screening data through the engine, failures."""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import (
    ConflictError,
    InvalidInput,
    LockedError,
    UnknownTerm,
    WorkflowError,
)
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.screening import services as screening
from ramunet.edc.screening.models import ScreeningEntry
from ramunet.protocol.screening_input import screening_from_dict
from tests.factories import FIRST_DOSE, make_screened, screening_payload


@pytest.fixture(autouse=True)
def trail_verifies_after_each_scenario(db):
    yield
    result = audit.verify()
    assert result.ok, result.problems


SCREENED_ON = dt.date(2026, 3, 2)


def log(actor, centre, **fields):
    fields.setdefault("screened_on", SCREENED_ON)
    fields.setdefault("year_of_birth", 1961)
    fields.setdefault("sex", "female")
    return screening.log_candidate(actor, centre, **fields)


def with_anc(value: str) -> list[dict[str, str]]:
    labs = [item for item in screening_payload()["labs"] if item["analyte"] != "anc"]
    return [*labs, {"analyte": "anc", "value": value, "unit": "/mm3", "date": "2026-03-09"}]


def stored(entry: ScreeningEntry) -> ScreeningEntry:
    return ScreeningEntry.objects.get(pk=entry.pk)


# -- logging candidates --------------------------------------------------------------------


def test_candidates_are_numbered_per_centre(nurse_a, investigator_b, centre_a, centre_b):
    first = log(nurse_a, centre_a)
    second = log(nurse_a, centre_a)
    other = log(investigator_b, centre_b)
    assert [first.label, second.label, other.label] == ["HAL-S001", "HAL-S002", "MAR-S001"]


def test_logging_is_audited_with_the_actor(nurse_a, centre_a):
    entry = log(nurse_a, centre_a, initials="ab")
    record = AuditRecord.objects.get(model="screening.ScreeningEntry", object_pk=str(entry.pk))
    assert (record.action, record.actor, record.centre) == (
        "screening.candidate.logged",
        "nurse.a",
        "HAL",
    )
    assert entry.initials == "AB"


def test_initials_of_three_letters_are_kept(nurse_a, centre_a):
    assert log(nurse_a, centre_a, initials="ABC").initials == "ABC"


def test_four_letter_initials_are_refused(nurse_a, centre_a):
    with pytest.raises(InvalidInput) as error:
        log(nurse_a, centre_a, initials="ABCD")
    assert str(error.value) == "initials 'ABCD': at most 3 letters A-Z, no names"
    assert not ScreeningEntry.objects.exists()


def test_a_name_as_initials_is_refused(nurse_a, centre_a):
    with pytest.raises(InvalidInput) as error:
        log(nurse_a, centre_a, initials="Max Mustermann")
    assert error.value.field == "initials"


def test_unknown_sex_is_refused(nurse_a, centre_a):
    with pytest.raises(InvalidInput) as error:
        log(nurse_a, centre_a, sex="f")
    assert str(error.value) == "sex 'f': not recognised; expected female, male"


def test_year_of_birth_after_screening_is_refused(nurse_a, centre_a):
    with pytest.raises(InvalidInput) as error:
        log(nurse_a, centre_a, year_of_birth=2027)
    assert str(error.value) == "year_of_birth 2027: must lie between 1906 and 2026"


def test_year_of_birth_in_the_screening_year_is_accepted(nurse_a, centre_a):
    assert log(nurse_a, centre_a, year_of_birth=2026).year_of_birth == 2026


def test_year_of_birth_120_years_back_is_accepted_and_121_refused(nurse_a, centre_a):
    assert log(nurse_a, centre_a, year_of_birth=1906).year_of_birth == 1906
    with pytest.raises(InvalidInput):
        log(nurse_a, centre_a, year_of_birth=1905)


# -- screening data and the eligibility engine ---------------------------------------------


def test_screening_data_store_the_verdict_and_every_finding(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    assert entry.verdict == "eligible"
    assert len(entry.findings) == 30
    assert entry.findings[0]["id"] == "IN01"
    assert set(entry.findings[0]) == {"id", "state", "reason"}
    assert entry.data["planned_first_dose_date"] == "2026-03-16"


def test_a_criterion_not_met_is_stored_with_the_engines_reason(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a, labs=with_anc("1500"))
    in09 = next(item for item in entry.findings if item["id"] == "IN09")
    assert entry.verdict == "not eligible"
    assert in09["state"] == "not met"
    assert "1500" in in09["reason"]


def test_the_engines_validation_error_reaches_the_caller_unchanged(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    payload = screening_payload(consent_date="2026-03-17")
    with pytest.raises(InvalidInput) as direct:
        screening_from_dict(payload)
    with pytest.raises(InvalidInput) as error:
        screening.update_screening_data(nurse_a, entry, payload, expected_version=1)
    assert type(error.value) is type(direct.value)
    assert (
        str(error.value)
        == str(direct.value)
        == ("consent_date '2026-03-17': must not be after planned_first_dose_date 2026-03-16")
    )
    assert stored(entry).data == {}


def test_an_unknown_term_names_the_dotted_field(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    payload = screening_payload(ecog={"value": 1, "date": "2026-03-09"}, sex="femme")
    with pytest.raises(UnknownTerm) as error:
        screening.update_screening_data(nurse_a, entry, payload, expected_version=1)
    assert str(error.value) == "sex 'femme': not recognised; expected female, male"


def test_screening_data_of_another_sex_than_logged_are_refused(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    payload = screening_payload(sex="male", childbearing_potential=False, pregnancy_tests=[])
    with pytest.raises(InvalidInput) as error:
        screening.update_screening_data(nurse_a, entry, payload, expected_version=1)
    assert str(error.value) == "sex 'male': differs from the screening log's female for HAL-S001"


def test_screening_data_of_another_birth_year_than_logged_are_refused(nurse_a, centre_a):
    entry = log(nurse_a, centre_a, year_of_birth=1960)
    with pytest.raises(InvalidInput) as error:
        screening.update_screening_data(nurse_a, entry, screening_payload(), expected_version=1)
    assert str(error.value) == (
        "date_of_birth '1961-04-30': differs from the screening log's year of birth 1960 "
        "for HAL-S001"
    )


def test_changing_screening_data_needs_a_reason(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    with pytest.raises(InvalidInput) as error:
        screening.update_screening_data(
            nurse_a, entry, screening_payload(labs=with_anc("1400")), expected_version=2
        )
    assert str(error.value) == "reason: a reason for the change is required once a form is saved"


def test_changed_screening_data_re_run_the_engine(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    changed = screening.update_screening_data(
        nurse_a,
        entry,
        screening_payload(labs=with_anc("1400")),
        expected_version=2,
        reason="ANC transcription error",
    )
    assert changed.verdict == "not eligible"
    record = AuditRecord.objects.filter(object_pk=str(entry.pk)).order_by("-seq").first()
    assert (record.action, record.reason) == ("screening.data.updated", "ANC transcription error")


def test_a_stale_version_gets_a_conflict(nurse_a, investigator_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    screening.update_screening_data(
        investigator_a, entry, screening_payload(labs=with_anc("1400")), expected_version=2,
        reason="ANC corrected",
    )  # fmt: skip
    with pytest.raises(ConflictError):
        screening.update_screening_data(
            nurse_a, entry, screening_payload(), expected_version=2, reason="x"
        )


def test_screening_data_with_dates_are_stored_as_iso_text(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    payload = screening_payload(planned_first_dose_date=FIRST_DOSE)
    entry = screening.update_screening_data(nurse_a, entry, payload, expected_version=1)
    assert entry.data["planned_first_dose_date"] == "2026-03-16"
    assert audit.verify().ok


# -- failures and withdrawals --------------------------------------------------------------


def test_screening_failure_is_kept_with_criteria_and_free_text(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a, labs=with_anc("1500"))
    failed = screening.record_screening_failure(
        nurse_a, entry, ["IN09", "patient prefers another trial"]
    )
    assert failed.status == "failed"
    assert failed.failure_reasons[0]["criterion"] == "IN09"
    assert "1500" in failed.failure_reasons[0]["reason"]
    assert failed.failure_reasons[1] == {"criterion": "", "reason": "patient prefers another trial"}
    record = AuditRecord.objects.filter(object_pk=str(entry.pk)).order_by("-seq").first()
    assert record.action == "screening.candidate.failed"
    assert record.reason.startswith("screening failure: IN09: ")
    assert audit.verify().ok


def test_a_failure_reason_naming_a_met_criterion_is_refused(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a, labs=with_anc("1500"))
    with pytest.raises(InvalidInput) as error:
        screening.record_screening_failure(nurse_a, entry, ["IN05"])
    assert str(error.value) == "reasons.0 'IN05': is not a criterion found not met; not met: IN09"
    assert stored(entry).status == "open"


def test_a_failure_needs_at_least_one_reason(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    with pytest.raises(InvalidInput) as error:
        screening.record_screening_failure(nurse_a, entry, [])
    assert str(error.value) == (
        "reasons: name at least one reason (criterion not met or free text)"
    )


def test_a_blank_failure_reason_is_refused(nurse_a, centre_a):
    entry = make_screened(centre_a, nurse_a)
    with pytest.raises(InvalidInput) as error:
        screening.record_screening_failure(nurse_a, entry, ["declined", " "])
    assert str(error.value) == "reasons.1 ' ': must be a criterion id or a text"


def test_withdrawal_keeps_the_reason(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    withdrawn = screening.withdraw_candidate(nurse_a, entry, "consent withdrawn")
    assert (withdrawn.status, withdrawn.closed_reason) == ("withdrawn", "consent withdrawn")


def test_withdrawal_without_reason_is_refused(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    with pytest.raises(InvalidInput) as error:
        screening.withdraw_candidate(nurse_a, entry, "")
    assert str(error.value) == "reason: a reason is required"


def test_a_closed_entry_cannot_change(nurse_a, centre_a):
    entry = log(nurse_a, centre_a)
    screening.withdraw_candidate(nurse_a, entry, "consent withdrawn")
    with pytest.raises(WorkflowError) as error:
        screening.update_screening_data(nurse_a, entry, screening_payload(), expected_version=2)
    assert str(error.value) == (
        "HAL-S001 is withdrawn before registration; only a candidate in screening can be changed"
    )


# -- study status --------------------------------------------------------------------------


def test_study_status_is_created_once_through_the_audit_trail(db):
    first = screening.study_status()
    second = screening.study_status()
    assert first.pk == second.pk == 1
    assert (first.enrolment_target, first.enrolment_closed) == (45, False)
    assert AuditRecord.objects.filter(model="screening.StudyStatus").count() == 1
    assert audit.verify().ok


def test_a_locked_database_refuses_screening(nurse_a, centre_a):
    audit.set_database_lock(True, actor="system", reason="database lock", data={})
    with pytest.raises(LockedError) as error:
        log(nurse_a, centre_a)
    assert str(error.value) == "the database is locked; no trial data can change"
    assert not ScreeningEntry.objects.exists()
