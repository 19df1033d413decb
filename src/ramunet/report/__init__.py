"""Figures and the analysis report, built from ``ramunet.stats`` results.

The report's pipeline (pure; the database is read by ``ramunet.edc.reporting``):

- ``dataset``: the plain rows a report is computed from, and their snapshot hash.
- ``analysis`` (with ``analysis_population``, ``analysis_efficacy``, ``analysis_safety``,
  ``analysis_secondary``): ``analyse(dataset) -> ReportResults``.
- ``figure_set``: which figure each section shows; ``figures``: how each is drawn.
- ``tables``: formatted table cells; ``render``: the HTML; ``build``: the files and the PDF.
"""
