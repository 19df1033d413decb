"""File formats of the ramunet exports, free of Django so they can be tested alone.

Modules
-------
xpt
    SAS transport v5 (XPT) writer for SDTM/ADaM datasets; IBM 370 floats in ``ibm370``,
    limits in ``xpt_model``, vectorised row encoding in ``xpt_encode``.
odm
    CDISC ODM 1.3.2: typed model (``odm_model``), writer (``odm_write``), reader
    (``odm_read``), schema validation and OID reference checks (``odm_check``).
csvsafe
    CSV with spreadsheet-formula escaping (OWASP CSV injection), streamed.

The Django exporters in ``ramunet.edc.exports`` yield rows from the database and hand them to
these writers (STYLE.md example 17).
"""
