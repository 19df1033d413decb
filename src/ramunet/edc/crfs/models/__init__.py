"""Typed eCRFs, one model per form (modules by family), and their discrepancies.

Every form is a ``FormRecord`` with a stable ``FORM_CODE`` from ``ramunet.protocol.schedule``;
``FORMS`` maps each code to its model.
"""

from ramunet.edc.crfs.models.adverse_events import AdverseEvent, Relation
from ramunet.edc.crfs.models.base import Discrepancy, FormRecord, MissingCode
from ramunet.edc.crfs.models.exposure import Exposure
from ramunet.edc.crfs.models.history import (
    ConcomitantMedication,
    Demographics,
    MedicalHistory,
    PriorTherapy,
)
from ramunet.edc.crfs.models.labs import (
    Chemistry,
    ChromograninA,
    Coagulation,
    Haematology,
    PregnancyTest,
    UrineProtein,
)
from ramunet.edc.crfs.models.outcome import Death, EndOfStudy, EndOfTreatment, FollowUp
from ramunet.edc.crfs.models.qol import QlqC30
from ramunet.edc.crfs.models.samples import Biosample, TranslationalResult
from ramunet.edc.crfs.models.tumour import Lesion, LesionMeasurement, TumourAssessment
from ramunet.edc.crfs.models.vitals import Ecog, PhysicalExam, VitalSigns

FORMS: dict[str, type[FormRecord]] = {
    model.FORM_CODE: model
    for model in (
        Demographics, MedicalHistory, PriorTherapy, TumourAssessment, PhysicalExam, Ecog,
        VitalSigns, Haematology, Chemistry, Coagulation, UrineProtein, PregnancyTest,
        ChromograninA, QlqC30, Biosample, Exposure, AdverseEvent, ConcomitantMedication,
        EndOfTreatment, FollowUp, TranslationalResult, Death, EndOfStudy,
    )
}  # fmt: skip

__all__ = [
    "FORMS",
    "AdverseEvent",
    "Biosample",
    "Chemistry",
    "ChromograninA",
    "Coagulation",
    "ConcomitantMedication",
    "Death",
    "Demographics",
    "Discrepancy",
    "Ecog",
    "EndOfStudy",
    "EndOfTreatment",
    "Exposure",
    "FollowUp",
    "FormRecord",
    "Haematology",
    "Lesion",
    "LesionMeasurement",
    "MedicalHistory",
    "MissingCode",
    "PhysicalExam",
    "PregnancyTest",
    "PriorTherapy",
    "QlqC30",
    "Relation",
    "TranslationalResult",
    "TumourAssessment",
    "UrineProtein",
    "VitalSigns",
]
