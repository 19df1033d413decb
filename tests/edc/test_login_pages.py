"""Login, lock-out, first-login password change and the home page, through Django's client."""

from __future__ import annotations

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites.models import Account
from tests.factories import PASSWORD, make_person


def test_login_then_home_shows_role_and_centre(client, nurse_a):
    response = client.post("/login/", {"username": "nurse.a", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Site study nurse" in page
    assert "HAL" in page
    assert AuditRecord.objects.filter(action="people.login.succeeded", actor="nurse.a").exists()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_wrong_password_is_counted_and_fifth_locks_even_the_right_one(client, nurse_a):
    for _ in range(5):
        client.post("/login/", {"username": "nurse.a", "password": "wrong-password-1"})
    response = client.post("/login/", {"username": "nurse.a", "password": PASSWORD})
    assert response.status_code == 200
    assert "locked after repeated failed logins" in response.content.decode()
    assert Account.objects.get(user=nurse_a).failed_logins == 5


def test_first_login_must_change_the_password(client, centre_a):
    make_person("new.nurse", "nurse", centre_a, must_change_password=True)
    client.post("/login/", {"username": "new.nurse", "password": PASSWORD})
    assert client.get("/")["Location"] == "/password/"
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password": "a-much-better-secret-42"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_security_headers_are_sent(client, db):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
