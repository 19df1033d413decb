"""Two-factor authentication (TOTP, RFC 6238): enrolment, login, signature, redaction."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyotp
import pytest
from django.test import override_settings

from ramunet.clinical.errors import InvalidInput, PermissionRefused
from ramunet.edc.audit import services as audit
from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import Haematology
from ramunet.edc.crfs.services import save_form
from ramunet.edc.review import services as review
from ramunet.edc.sites import services
from ramunet.edc.sites.models import Account
from tests.factories import PASSWORD, make_patient


def enrol(user):
    secret = services.new_totp_secret()
    services.enable_two_factor(user, secret, pyotp.TOTP(secret).now())
    return pyotp.TOTP(secret)


def test_enrolment_needs_a_matching_code(nurse_a):
    secret = services.new_totp_secret()
    with pytest.raises(InvalidInput) as error:
        services.enable_two_factor(nurse_a, secret, "not-a-code")
    assert error.value.field == "code"
    assert not Account.objects.get(user=nurse_a).two_factor


def test_secret_never_enters_the_audit_trail_in_clear(nurse_a):
    secret = services.new_totp_secret()
    services.enable_two_factor(nurse_a, secret, pyotp.TOTP(secret).now())
    record = AuditRecord.objects.get(action="people.two_factor.enabled")
    assert secret not in record.payload
    assert json.loads(record.payload)["state"]["totp_secret"].startswith("sha256:")
    assert audit.verify().ok


def test_login_with_two_factor_needs_the_current_code(client, nurse_a):
    totp = enrol(nurse_a)
    refused = client.post("/login/", {"username": "nurse.a", "password": PASSWORD, "otp": ""})
    assert refused.status_code == 200
    assert "current 6-digit code" in refused.content.decode()
    ok = client.post("/login/", {"username": "nurse.a", "password": PASSWORD, "otp": totp.now()})
    assert ok.status_code == 302


def test_investigator_must_enrol_when_the_study_requires_it(client, investigator_a):
    with override_settings(REQUIRE_TWO_FACTOR=True):
        client.post("/login/", {"username": "investigator.a", "password": PASSWORD})
        assert client.get("/")["Location"] == "/two-factor/"
        page = client.get("/two-factor/").content.decode()
        assert "requires a second factor for your role" in page


def test_nurse_is_not_forced_to_enrol(client, nurse_a):
    with override_settings(REQUIRE_TWO_FACTOR=True):
        client.post("/login/", {"username": "nurse.a", "password": PASSWORD})
        assert client.get("/").status_code == 200


def test_signature_asks_the_second_factor_when_on(investigator_a, nurse_a, centre_a):
    patient = make_patient(centre_a)
    save_form(
        nurse_a,
        Haematology,
        patient=patient,
        today=dt.date(2026, 2, 1),
        values={"form_date": dt.date(2026, 1, 19), "anc": Decimal("2.5")},
    )
    totp = enrol(investigator_a)
    with pytest.raises(PermissionRefused) as error:
        review.sign_casebook(investigator_a, patient, password=PASSWORD, otp="")
    assert str(error.value) == "the authenticator code is not correct; the casebook was not signed"
    review.sign_casebook(investigator_a, patient, password=PASSWORD, otp=totp.now())
    assert review.signature_status(patient).valid


def test_data_manager_resets_a_lost_authenticator(data_manager, nurse_a):
    enrol(nurse_a)
    services.reset_two_factor(data_manager, nurse_a, reason="phone lost")
    assert not Account.objects.get(user=nurse_a).two_factor
