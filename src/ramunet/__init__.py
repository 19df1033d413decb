"""ramunet: the data system of the RamuNET trial.

Layers (imports point inward only):

- ``ramunet.clinical``: clinical rules any trial could use (RECIST 1.1, CTCAE v5.0, QLQ-C30,
  dosing, units). Standard library and numpy only.
- ``ramunet.protocol``: the RamuNET protocol as immutable data, and its eligibility engine.
- ``ramunet.stats``: exact designs, binomial inference, monitoring, survival, summaries.
- ``ramunet.report``: figures and the analysis report, built from ``stats`` results.
- ``ramunet.edc``: the Django EDC (records, workflows, audit trail, API, web pages).
- ``ramunet.cli``: the ``ramunet`` command, thin wrappers over the rest.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ramunet")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0+unknown"
