"""One candidate's screening data, as typed immutable input to the eligibility engine.

``None`` always means "not recorded" (the criterion is then "data missing"); an empty tuple
means "recorded: none". Values are kept as reported (value and unit, with the site's reference
range); conversions happen in the rules, exactly (``ramunet.clinical.units``). Build it from a
posted dict with ``ramunet.protocol.screening_input.screening_from_dict``, which validates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Differentiation(StrEnum):
    WELL = "well"  # neuroendocrine tumour (NET)
    POOR = "poor"  # neuroendocrine carcinoma (NEC)


class TherapyCategory(StrEnum):
    """Prior systemic or radionuclide therapy, in the protocol's words (IN04)."""

    CHEMOTHERAPY = "chemotherapy"  # non-DTIC-based, e.g. 5-FU/streptozocin, capecitabine
    SSA = "ssa"
    EVEROLIMUS = "everolimus"
    SUNITINIB = "sunitinib"
    PRRT = "prrt"
    DACARBAZINE = "dacarbazine"
    TEMOZOLOMIDE = "temozolomide"
    OTHER = "other"


class Dipstick(StrEnum):
    NEGATIVE = "negative"
    TRACE = "trace"
    ONE_PLUS = "1+"
    TWO_PLUS = "2+"
    THREE_PLUS = "3+"
    FOUR_PLUS = "4+"

    @property
    def rank(self) -> int:
        return list(Dipstick).index(self)


class HistoryKind(StrEnum):
    """Dated medical-history events the exclusion windows read."""

    CLINICAL_TRIAL = "clinical_trial"  # participation in a clinical drug trial (EX04)
    ARTERIAL_THROMBOEMBOLISM = "arterial_thromboembolism"  # MI, TIA, stroke, unstable angina
    GI_BLEEDING_GRADE_3_4 = "gi_bleeding_grade_3_4"  # EX09
    VENOUS_THROMBOEMBOLISM = "venous_thromboembolism"  # DVT, PE, other significant (EX10)
    MINOR_VENOUS_THROMBOSIS = "minor_venous_thrombosis"  # port, catheter, superficial: no count
    GI_PERFORATION_FISTULA = "gi_perforation_fistula"  # EX13
    MAJOR_SURGERY = "major_surgery"  # EX14
    MINOR_SURGERY = "minor_surgery"  # EX14
    VENOUS_ACCESS_DEVICE = "venous_access_device"  # subcutaneous port placement (EX14)
    WOUND_ULCER_FRACTURE = "wound_ulcer_fracture"  # serious or non-healing (EX16)


class MalignancyKind(StrEnum):
    BASALIOMA_SKIN = "basalioma_skin"
    CERVICAL_CARCINOMA = "cervical_carcinoma"
    OTHER = "other"


class ChildPugh(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class MedicationCategory(StrEnum):
    ASPIRIN = "aspirin"
    NSAID = "nsaid"
    CLOPIDOGREL = "clopidogrel"
    DIPYRIDAMOLE = "dipyridamole"
    OTHER_ANTIPLATELET = "other_antiplatelet"
    ANTICOAGULANT = "anticoagulant"
    OTHER = "other"


class PregnancyTestType(StrEnum):
    SERUM = "serum"
    URINE = "urine"


class PregnancyResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


@dataclass(frozen=True)
class Tumour:
    """Histology of the index tumour (IN01)."""

    histologically_confirmed: bool
    primary_site: str  # "pancreas" for a pNET
    differentiation: Differentiation
    grade: str  # "G1", "G2", "G3"
    metastatic: bool
    resectable: bool
    functional: bool | None = None
    ki67_percent: Decimal | None = None


@dataclass(frozen=True)
class BaselineImaging:
    """Baseline CT/MRI and the investigator's RECIST 1.1 measurability (IN03)."""

    date: date
    measurable_disease: bool


@dataclass(frozen=True)
class PriorTherapy:
    """A prior line of therapy and whether the disease progressed under it (IN04)."""

    category: TherapyCategory
    agent: str
    start_date: date | None
    end_date: date | None  # None: ongoing
    progression: bool


@dataclass(frozen=True)
class EcogScore:
    value: int
    date: date


@dataclass(frozen=True)
class LabResult:
    """A laboratory result as reported: analyte code (``ramunet.clinical.units``), value, unit,
    date and the site's reference range in the same unit."""

    analyte: str
    value: Decimal
    unit: str
    date: date
    lln: Decimal | None = None
    uln: Decimal | None = None


@dataclass(frozen=True)
class DipstickResult:
    result: Dipstick
    date: date


@dataclass(frozen=True)
class HistoryItem:
    """A dated history event; ``ongoing`` events count as inside every window."""

    kind: HistoryKind
    date: date | None
    ongoing: bool = False
    term: str = ""


@dataclass(frozen=True)
class OtherMalignancy:
    """Another malignancy; ``disease_free_since`` is None while not successfully treated."""

    kind: MalignancyKind
    disease_free_since: date | None
    term: str = ""


@dataclass(frozen=True)
class LiverCirrhosis:
    present: bool
    child_pugh: ChildPugh | None = None
    hepatic_encephalopathy: bool = False
    ascites_requiring_treatment: bool = False  # diuretics or paracentesis


@dataclass(frozen=True)
class Medication:
    name: str
    category: MedicationCategory
    daily_dose_mg: Decimal | None = None
    chronic: bool = True


@dataclass(frozen=True)
class PregnancyTest:
    type: PregnancyTestType
    result: PregnancyResult
    date: date


@dataclass(frozen=True)
class Attestations:
    """The investigator's recorded yes/no answers; ``None`` is not yet recorded.

    Polarity follows the question: ``True`` for the first three is good, ``True`` for the others
    excludes.
    """

    life_expectancy_over_12_weeks: bool | None = None  # IN06
    contraception_adequate: bool | None = None  # IN12
    able_to_consent: bool | None = None  # IN14
    uncontrolled_severe_disorder: bool | None = None  # EX11
    bleeding_risk_condition: bool | None = None  # EX12 (and IN11, not applied)
    perforation_risk_factors: bool | None = None  # EX13
    planned_major_surgery: bool | None = None  # EX15


@dataclass(frozen=True)
class ScreeningData:
    """Everything the eligibility engine reads for one candidate."""

    sex: Sex
    date_of_birth: date
    consent_date: date
    planned_first_dose_date: date
    tumour: Tumour | None = None
    imaging: BaselineImaging | None = None
    prior_therapies: tuple[PriorTherapy, ...] | None = None
    ecog: EcogScore | None = None
    labs: tuple[LabResult, ...] = ()
    urine_dipsticks: tuple[DipstickResult, ...] = ()
    liver_metastases: bool | None = None
    therapeutic_anticoagulation: bool | None = None
    medical_history: tuple[HistoryItem, ...] | None = None
    other_malignancies: tuple[OtherMalignancy, ...] | None = None
    liver_cirrhosis: LiverCirrhosis | None = None
    uncontrolled_hypertension_days: int | None = None
    allergy_to_study_drugs: bool | None = None
    concomitant_medications: tuple[Medication, ...] | None = None
    childbearing_potential: bool | None = None
    lactating: bool | None = None
    pregnancy_tests: tuple[PregnancyTest, ...] = ()
    attestations: Attestations = field(default_factory=Attestations)
