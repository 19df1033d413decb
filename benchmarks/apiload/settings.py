"""The real settings, plus one bare endpoint for comparison (benchmark only)."""

from ramunet.edc.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.apiload.urls"
