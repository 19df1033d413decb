"""CTCAE v5.0: grade lab values and look up adverse-event terms.

The public face of the ``ctcae_*`` modules:

* ``grade(term, value, unit, lln=None, uln=None, baseline=None) -> Grade``: one value, exact
  ``Decimal`` comparisons, the rule applied as text (``ctcae_scalar``).
* ``grade_hypertension(systolic_mmhg, diastolic_mmhg)``, also reachable as
  ``grade("Hypertension", (systolic, diastolic), "mmHg")``; ``grade_proteinuria(dipstick,
  protein_24h, ...)`` with the 24-h collection taking precedence (``ctcae_vitals``,
  ``ctcae_scalar``).
* ``grade_many(term, values, unit, lln, uln, baseline) -> numpy int8 array``: bulk grading that
  agrees exactly with ``grade`` (``ctcae_vector``).
* ``ctcae_terms()``, ``lookup_term(name)``, ``search_terms(text)``, ``system_organ_classes()``: the
  837 CTCAE v5.0 terms with MedDRA code and SOC (``ctcae_terms``).

References
----------
U.S. DHHS/NIH/NCI, Common Terminology Criteria for Adverse Events (CTCAE) v5.0, 27 November
2017; clinical-rules.md §2.
"""

from __future__ import annotations

from ramunet.clinical.ctcae_criteria import GRADED_TERMS, LAB_TERMS, LabTerm, lab_term
from ramunet.clinical.ctcae_result import Grade
from ramunet.clinical.ctcae_scalar import grade, grade_proteinuria
from ramunet.clinical.ctcae_terms import (
    CtcaeTerm,
    ctcae_terms,
    lookup_term,
    search_terms,
    system_organ_classes,
)
from ramunet.clinical.ctcae_vector import grade_many
from ramunet.clinical.ctcae_vitals import DIPSTICK_GRADES, grade_hypertension

__all__ = [
    "DIPSTICK_GRADES",
    "GRADED_TERMS",
    "LAB_TERMS",
    "CtcaeTerm",
    "Grade",
    "LabTerm",
    "ctcae_terms",
    "grade",
    "grade_hypertension",
    "grade_many",
    "grade_proteinuria",
    "lab_term",
    "lookup_term",
    "search_terms",
    "system_organ_classes",
]
