"""``POST /api/v1/auth/token/``: the login's lock-out and audit, and token authentication."""

from __future__ import annotations

import datetime as dt

import time_machine
from rest_framework.test import APIClient

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites.models import Account
from ramunet.edc.sites.services import LOCKOUT, MAX_FAILED_LOGINS
from tests.factories import PASSWORD, make_person

TOKEN = "/api/v1/auth/token/"


def ask_token(username: str, password: str = PASSWORD):
    return APIClient().post(TOKEN, {"username": username, "password": password}, format="json")


def test_token_is_issued_for_the_right_password_and_the_login_audited(nurse_a):
    response = ask_token("nurse.a")
    assert response.status_code == 200
    assert response.json()["username"] == "nurse.a"
    assert AuditRecord.objects.filter(action="people.login.succeeded", actor="nurse.a").exists()


def test_token_authenticates_api_requests(nurse_a):
    token = ask_token("nurse.a").json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/centres/").status_code == 200


def test_request_without_credentials_is_answered_401(centre_a):
    assert APIClient().get("/api/v1/centres/").status_code == 401


def test_wrong_password_is_refused_and_counted(nurse_a):
    response = ask_token("nurse.a", "wrong password")
    assert response.status_code == 400
    assert response.json()["message"] == "username or password not recognised"
    assert Account.objects.get(user=nurse_a).failed_logins == 1
    assert AuditRecord.objects.filter(action="people.login.failed", actor="nurse.a").exists()


def test_unknown_user_gets_the_same_refusal_as_a_wrong_password(db):
    response = ask_token("nobody", "wrong password")
    assert response.status_code == 400
    assert response.json()["message"] == "username or password not recognised"


def test_fifth_failure_locks_the_account_even_for_the_right_password(nurse_a):
    for _ in range(MAX_FAILED_LOGINS):
        ask_token("nurse.a", "wrong password")
    response = ask_token("nurse.a")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "This account is locked after repeated failed logins; try again later."
    )


def test_locked_out_accounts_token_is_refused(nurse_a):
    token = ask_token("nurse.a").json()["token"]
    for _ in range(MAX_FAILED_LOGINS):
        ask_token("nurse.a", "wrong password")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/centres/")
    assert response.status_code == 401
    assert response.json()["detail"] == "account locked after repeated failed logins"


def test_first_password_must_be_changed_before_a_token_is_issued(centre_a):
    make_person("new.nurse", "nurse", centre_a, must_change_password=True)
    response = ask_token("new.nurse")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "change the first password on the web page before using the API"
    )


def test_token_is_issued_again_once_the_lock_out_has_ended(nurse_a):
    start = dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(MAX_FAILED_LOGINS):
            ask_token("nurse.a", "wrong password")
    with time_machine.travel(start + LOCKOUT + dt.timedelta(seconds=1)):
        assert ask_token("nurse.a").status_code == 200
