"""The trial simulator: a realistic RamuNET trial written through the EDC's services.

The random trial itself is pure (no Django): ``config``, ``rates``, ``screening_model``,
``course_model``, ``course_draw`` and ``trial_model``. Writing it goes through the services:
``cast``, ``write_screening``, ``write_baseline``, ``write_course``, ``write_forms``,
``write_review`` and ``run``; ``closing`` does SDV, signatures and the database lock (the demo),
``digest`` fingerprints the raw data.

>>> from ramunet.simulate import SimulationConfig, simulate_trial  # Django set up
>>> summary = simulate_trial(SimulationConfig(patients=45, seed=2026), progress=False)
"""

from __future__ import annotations

from typing import Any

from ramunet.simulate.config import SimulationConfig

__all__ = ["SimulationConfig", "SimulationSummary", "simulate_trial"]


def __getattr__(name: str) -> Any:
    # the writers import Django models: load them only when asked for (after Django's setup)
    if name in ("simulate_trial", "SimulationSummary"):
        from ramunet.simulate import run

        return getattr(run, name)
    raise AttributeError(f"module 'ramunet.simulate' has no attribute {name!r}")
