"""Figures and the analysis report, built from ``ramunet.stats`` results."""
