"""Exports of the trial database for the biometrician and other systems (issue #9).

A plain package (not a Django app): it reads the models in bulk, streaming, and hands rows
to the pure writers of ``ramunet.exports``.

Modules
-------
permission     who may export (data managers; biometricians after the database lock)
catalogue      the eCRF models described as plain data (ODM metadata, dictionary, tables)
source         patients in chunks, each chunk's rows in one query per model
odm_export     CDISC ODM 1.3.2: metadata and clinical data (audit records, signatures), streamed
odm_import     an ODM file of ours loaded into an empty database through the services
digest         a canonical per-patient digest of the data (proves the round trip)
tidy, trail    tidy tables per form; audit trail, queries, SDV and signature status
sdtm           the SDTM datasets (``sdtm_events``, ``sdtm_findings``, ``sdtm_tumour``) and
               ADSL (``adsl``), each written as XPT and CSV in one pass
package        the transfer package and the per-table downloads the pages call
"""
