"""Roles and what each may do, as data (no Django models here).

A role is held through a membership, either for one centre (site roles, and a monitor's
assigned centres) or for the whole study (central roles). ``CAPABILITIES`` is the single
table every view, API endpoint, admin page and service consults.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    INVESTIGATOR = "investigator"
    NURSE = "nurse"
    CENTRAL_ENTRY = "central_entry"
    MONITOR = "monitor"
    DATA_MANAGER = "data_manager"
    BIOMETRICIAN = "biometrician"
    PATHOLOGY = "pathology"
    SPONSOR = "sponsor"
    DSMB = "dsmb"


ROLE_LABELS: dict[Role, str] = {
    Role.INVESTIGATOR: "Site investigator",
    Role.NURSE: "Site study nurse",
    Role.CENTRAL_ENTRY: "Central data entry",
    Role.MONITOR: "Monitor",
    Role.DATA_MANAGER: "Data manager",
    Role.BIOMETRICIAN: "Biometrician",
    Role.PATHOLOGY: "Central pathology",
    Role.SPONSOR: "Sponsor / PI",
    Role.DSMB: "DSMB",
}

# Roles that must name a centre; the others act study-wide (a monitor may be given centres).
SITE_ROLES = frozenset({Role.INVESTIGATOR, Role.NURSE})
CENTRE_OPTIONAL_ROLES = frozenset({Role.MONITOR})


class Capability(StrEnum):
    VIEW_PATIENTS = "view_patients"  # patient-level data of the centres in scope
    SCREEN = "screen"  # screening log and eligibility
    REGISTER = "register"  # register an eligible candidate
    ENTER_DATA = "enter_data"  # create and change eCRF data
    ENTER_TRANSLATIONAL = "enter_translational"  # central pathology results
    SIGN = "sign"  # investigator's e-signature of a casebook
    RAISE_QUERY = "raise_query"
    ANSWER_QUERY = "answer_query"
    VERIFY_SOURCE = "verify_source"  # SDV marks
    REVIEW = "review"  # data manager review, freeze, patient and database lock
    UNLOCK = "unlock"
    OVERRIDE_ENROLMENT = "override_enrolment"
    MANAGE_PEOPLE = "manage_people"  # centres, accounts, memberships
    EXPORT = "export"  # exports (biometrician: only after database lock)
    VIEW_AGGREGATE = "view_aggregate"  # recruitment, primary-endpoint tracker, SAE list
    VIEW_AUDIT = "view_audit"
    REPORT = "report"  # the analysis report (biometrician: only after database lock)


C = Capability
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.INVESTIGATOR: frozenset(
        {C.VIEW_PATIENTS, C.SCREEN, C.REGISTER, C.ENTER_DATA, C.SIGN, C.ANSWER_QUERY, C.VIEW_AUDIT}
    ),
    Role.NURSE: frozenset(
        {C.VIEW_PATIENTS, C.SCREEN, C.REGISTER, C.ENTER_DATA, C.ANSWER_QUERY, C.VIEW_AUDIT}
    ),
    Role.CENTRAL_ENTRY: frozenset({C.VIEW_PATIENTS, C.ENTER_DATA, C.ANSWER_QUERY}),
    Role.MONITOR: frozenset({C.VIEW_PATIENTS, C.RAISE_QUERY, C.VERIFY_SOURCE, C.VIEW_AUDIT}),
    Role.DATA_MANAGER: frozenset(
        {
            C.VIEW_PATIENTS,
            C.RAISE_QUERY,
            C.REVIEW,
            C.UNLOCK,
            C.OVERRIDE_ENROLMENT,
            C.MANAGE_PEOPLE,
            C.EXPORT,
            C.VIEW_AGGREGATE,
            C.VIEW_AUDIT,
            C.REPORT,
        }
    ),
    Role.BIOMETRICIAN: frozenset({C.EXPORT, C.VIEW_AGGREGATE, C.REPORT}),
    Role.PATHOLOGY: frozenset({C.ENTER_TRANSLATIONAL}),
    Role.SPONSOR: frozenset({C.VIEW_AGGREGATE, C.REPORT}),
    Role.DSMB: frozenset({C.VIEW_AGGREGATE}),
}
