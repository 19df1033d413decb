"""Each person's interface language: chosen with the switcher, kept on their account.

The switcher posts to ``web:language``, which stores the choice on the person's account
(``Account.language``, audited) and sets Django's language cookie (``set_language``). At login
(``sites.views.LoginView``) a language chosen on the login page is stored the same way; a
browser without a choice gets the account's language. German is the centres' language; every
page is translated (``locale/de``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ramunet.edc.audit import services as audit
from ramunet.edc.sites.models import Account

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def remember_language(user: Any, code: str) -> None:
    """Store ``code`` as the person's language (no write when it is already theirs)."""
    if code not in LANGUAGE_CODES:
        return
    account = Account.objects.select_for_update().filter(user=user).first()
    if account is None or account.language == code:
        return
    audit.update(
        account,
        {"language": code},
        actor=user,
        expected_version=account.version,
        reason=f"interface language set to {code}",
        action="people.language.changed",
    )


def apply_account_language(request: HttpRequest, response: HttpResponseBase, user: Any) -> None:
    """After login: keep a language chosen on the login page, else use the account's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGUAGE_CODES:
        remember_language(user, str(chosen))
        return
    account = Account.objects.filter(user=user).only("language").first()
    if account is not None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            account.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )


@login_required
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The switcher of a logged-in person: store the choice, then Django's set_language."""
    remember_language(request.user, request.POST.get("language", ""))
    response: HttpResponse = set_language(request)
    return response
