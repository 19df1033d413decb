"""Settings for the test suite: the real settings with a generated key kept per data dir,
and argon2 at its cheapest cost (the algorithm stays; only the work factor is lowered)."""

import os

os.environ.setdefault("RAMUNET_TESTING", "1")

from ramunet.edc.settings import *  # noqa: F403

PASSWORD_HASHERS = ["ramunet.edc.test_settings.QuickArgon2PasswordHasher"]

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the smallest parameters: tests create hundreds of accounts."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
