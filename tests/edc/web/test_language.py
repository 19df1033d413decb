"""Each person's language: the switcher stores it on the account; login applies it."""

from __future__ import annotations

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.sites.models import Account
from tests.factories import PASSWORD


def test_switcher_stores_the_language_on_the_account(client, nurse_a):
    client.force_login(nurse_a)
    response = client.post("/site/language/", {"language": "de", "next": "/site/worklist/"})
    assert response["Location"] == "/site/worklist/"
    assert response.cookies["django_language"].value == "de"
    assert Account.objects.get(user=nurse_a).language == "de"
    assert AuditRecord.objects.filter(action="people.language.changed").count() == 1


def test_unknown_language_changes_nothing(client, nurse_a):
    client.force_login(nurse_a)
    client.post("/site/language/", {"language": "xx", "next": "/"})
    assert Account.objects.get(user=nurse_a).language == "en"


def test_login_applies_the_account_language_to_a_fresh_browser(client, nurse_a):
    client.force_login(nurse_a)
    client.post("/site/language/", {"language": "de", "next": "/"})
    client.logout()
    client.cookies.clear()
    response = client.post("/login/", {"username": "nurse.a", "password": PASSWORD})
    assert response.cookies["django_language"].value == "de"
    assert '<html lang="de">' in client.get("/").content.decode()


def test_language_chosen_on_the_login_page_is_kept_on_the_account(client, nurse_a):
    client.cookies["django_language"] = "de"
    client.post("/login/", {"username": "nurse.a", "password": PASSWORD})
    assert Account.objects.get(user=nurse_a).language == "de"
