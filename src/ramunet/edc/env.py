"""Typed helpers that read settings from environment variables and fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; expected one of 1/0, true/false")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def default_data_dir() -> Path:
    """``RAMUNET_DATA_DIR``, else ``data/`` in a source checkout, else ``~/.local/share``."""
    configured = os.environ.get("RAMUNET_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").exists():
        return checkout / "data"
    return Path.home() / ".local" / "share" / "ramunet"


def secret_key(data_dir: Path, allow_generated: bool) -> str:
    """``SECRET_KEY`` from the environment; for the demo and tests, one generated and kept."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    if not allow_generated:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set; set it (50 random characters) or run the demo "
            "(RAMUNET_DEMO=1), which generates one and keeps it in the data directory"
        )
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
