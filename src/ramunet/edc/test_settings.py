"""Settings for the test suite: the real settings with a generated key kept per data dir."""

import os

os.environ.setdefault("RAMUNET_TESTING", "1")

from ramunet.edc.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
