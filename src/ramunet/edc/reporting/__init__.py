"""The report's one reader of the trial database, and ``write_report`` (not a Django app).

``dataset.load_dataset`` reads every table the report needs with one bulk query each into
``ramunet.report.dataset.TrialDataset``; ``write.write_report`` checks who asks, computes the
report from that dataset and writes ``index.html``, ``report.pdf`` and ``manifest.json``.
"""
