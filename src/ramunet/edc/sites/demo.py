"""Demo centres and one account per role, written through the audited services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from ramunet.edc.sites import services
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import ROLE_LABELS, Role

DEMO_PASSWORD = "ramunet-demo-2026"

# Eight German university centres, activated over the first year of recruitment.
DEMO_CENTRES: tuple[tuple[str, str, str, dt.date], ...] = (
    ("HAL", "Universitätsklinikum Halle (Saale)", "Halle", dt.date(2019, 6, 1)),
    ("MAR", "Universitätsklinikum Marburg", "Marburg", dt.date(2019, 6, 15)),
    ("BER", "Charité Universitätsmedizin Berlin", "Berlin", dt.date(2019, 8, 1)),
    ("MUC", "LMU Klinikum München", "München", dt.date(2019, 9, 1)),
    ("ESS", "Universitätsklinikum Essen", "Essen", dt.date(2019, 10, 15)),
    ("HAN", "Medizinische Hochschule Hannover", "Hannover", dt.date(2019, 12, 1)),
    ("FRA", "Universitätsklinikum Frankfurt", "Frankfurt am Main", dt.date(2020, 2, 1)),
    ("WUE", "Universitätsklinikum Würzburg", "Würzburg", dt.date(2020, 4, 1)),
)

# Typical adult reference ranges (each centre has its own; these are the demo's).
DEMO_RANGES: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("creatinine", "mg/dL", "0.5", "1.2"),
    ("bilirubin", "mg/dL", "0.1", "1.2"),
    ("ast", "U/L", "10", "35"),
    ("alt", "U/L", "10", "35"),
    ("alp", "U/L", "40", "130"),
    ("hemoglobin", "g/dL", "12.0", "16.0"),
    ("anc", "10^9/L", "1.8", "7.5"),
    ("platelets", "10^9/L", "150", "400"),
    ("wbc", "10^9/L", "4.0", "10.0"),
    ("lymphocytes", "10^9/L", "1.0", "4.0"),
    ("potassium", "mmol/L", "3.5", "5.1"),
    ("sodium", "mmol/L", "135", "145"),
    ("inr", "ratio", "0.8", "1.2"),
    ("ptt", "s", "25", "37"),
    ("chromogranin_a", "ng/mL", None, "100"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    centre: str | None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("nurse.hal", Role.NURSE, "HAL"),
    DemoAccount("investigator.hal", Role.INVESTIGATOR, "HAL"),
    DemoAccount("nurse.mar", Role.NURSE, "MAR"),
    DemoAccount("investigator.mar", Role.INVESTIGATOR, "MAR"),
    DemoAccount("entry", Role.CENTRAL_ENTRY, None),
    DemoAccount("monitor", Role.MONITOR, None),
    DemoAccount("datamanager", Role.DATA_MANAGER, None),
    DemoAccount("biometrician", Role.BIOMETRICIAN, None),
    DemoAccount("pathology", Role.PATHOLOGY, None),
    DemoAccount("sponsor", Role.SPONSOR, None),
    DemoAccount("dsmb", Role.DSMB, None),
)


@transaction.atomic
def seed_people(actor: str = "system") -> list[DemoAccount]:
    """Create the demo centres with reference ranges and one account per role."""
    centres: dict[str, Centre] = {}
    for code, name, city, activated in DEMO_CENTRES:
        centre = services.create_centre(
            actor, code=code, name=name, city=city, activated_on=activated
        )
        centres[code] = centre
        for analyte, unit, lln, uln in DEMO_RANGES:
            services.add_reference_range(
                actor,
                centre,
                analyte=analyte,
                unit=unit,
                lln=Decimal(lln) if lln else None,
                uln=Decimal(uln) if uln else None,
                valid_from=dt.date(2019, 1, 1),
            )
    for account in DEMO_ACCOUNTS:
        user = services.create_person(
            actor,
            username=account.username,
            printed_name=f"Demo {ROLE_LABELS[account.role]}"
            + (f" ({account.centre})" if account.centre else ""),
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
        services.grant_role(
            actor, user, account.role, centres[account.centre] if account.centre else None
        )
    return list(DEMO_ACCOUNTS)
