"""Settings from the environment fail loudly on bad values."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ramunet.edc import env


def test_argon2_is_the_password_hasher():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_security_middleware_is_first():
    assert settings.MIDDLEWARE[0] == "django.middleware.security.SecurityMiddleware"


def test_debug_is_off_unless_set():
    assert settings.DEBUG is False


def test_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("RAMUNET_HTTPS", "maybe")
    with pytest.raises(ImproperlyConfigured) as error:
        env.env_bool("RAMUNET_HTTPS")
    assert str(error.value) == (
        "RAMUNET_HTTPS='maybe' is not a boolean; expected one of 1/0, true/false"
    )


def test_missing_secret_key_outside_demo_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured) as error:
        env.secret_key(tmp_path, allow_generated=False)
    assert str(error.value).startswith("SECRET_KEY is not set")


def test_demo_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = env.secret_key(tmp_path, allow_generated=True)
    assert len(first) >= 50
    assert env.secret_key(tmp_path, allow_generated=True) == first


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured):
        env.secret_key(tmp_path, allow_generated=False)


def test_pages_carry_a_content_security_policy_allowing_only_own_scripts(client):
    response = client.get("/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy


def test_api_viewer_pages_are_left_without_the_policy(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
