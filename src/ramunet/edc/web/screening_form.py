"""The screening form: the eligibility engine's nested input as flat, typed form fields.

Each field has a dotted path into the payload that ``ramunet.protocol.screening_input``
parses (``tumour.grade``, ``labs.anc.value``); ``payload_from`` builds the payload from the
posted form and ``initial_from`` the form's initial values from a stored payload. Fields left
empty are left out, so the engine reports "data missing" for the criteria that need them.
Laboratory values are entered in the unit shown beside them (the engine converts units,
clinical-rules.md §4.6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ramunet.protocol.screening import (
    Differentiation,
    Dipstick,
    PregnancyResult,
    PregnancyTestType,
    TherapyCategory,
)

YES_NO = [("", "—"), ("yes", _("yes")), ("no", _("no"))]


@dataclass(frozen=True)
class Lab:
    """One screening laboratory analyte, entered in ``unit`` (with ULN/LLN where needed)."""

    analyte: str
    label: Any
    unit: str
    uln: bool = False
    lln: bool = False


SCREENING_LABS: tuple[Lab, ...] = (
    Lab("creatinine", _("Creatinine"), "mg/dL", uln=True, lln=True),
    Lab("bilirubin", _("Total bilirubin"), "mg/dL", uln=True),
    Lab("ast", "AST", "U/L", uln=True),
    Lab("alt", "ALT", "U/L", uln=True),
    Lab("anc", _("Absolute neutrophil count"), "/mm3"),
    Lab("platelets", _("Platelets"), "/mm3"),
    Lab("hemoglobin", _("Haemoglobin"), "g/dL"),
    Lab("inr", "INR", "ratio"),
    Lab("ptt", "PTT", "s", uln=True),
)
PRIOR_THERAPY_ROWS = 2
ATTESTATIONS: tuple[tuple[str, Any], ...] = (
    ("life_expectancy_over_12_weeks", _("Life expectancy over 12 weeks")),
    ("contraception_adequate", _("Adequate contraception")),
    ("able_to_consent", _("Able to give informed consent")),
    ("uncontrolled_severe_disorder", _("Uncontrolled severe disorder")),
    ("bleeding_risk_condition", _("Condition with a risk of bleeding")),
    ("perforation_risk_factors", _("Risk factors for GI perforation")),
    ("planned_major_surgery", _("Major surgery planned")),
)
# (section legend, field names): the fieldsets of the page, in order
SECTIONS: list[tuple[Any, list[str]]] = []


def _choices(kind: Any) -> list[tuple[str, str]]:
    return [("", "—")] + [(item.value, item.value) for item in kind]


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _number(label: Any, unit: str = "") -> forms.DecimalField:
    attrs = {"step": "any", "inputmode": "decimal"}
    if unit:
        attrs["data-unit"] = unit
    return forms.DecimalField(label=label, required=False, widget=forms.NumberInput(attrs=attrs))


def _yes_no(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=YES_NO)


def _fields() -> dict[str, tuple[str, forms.Field]]:
    """Field name -> (payload path, form field), in page order; SECTIONS filled alongside."""
    fields: dict[str, tuple[str, forms.Field]] = {}

    def section(legend: Any, items: list[tuple[str, str, forms.Field]]) -> None:
        SECTIONS.append((legend, [name for name, _path, _field in items]))
        for name, path, field in items:
            fields[name] = (path, field)

    section(
        _("Candidate and dates"),
        [
            ("date_of_birth", "date_of_birth", _date(_("Date of birth"))),
            ("consent_date", "consent_date", _date(_("Date of informed consent"))),
            (
                "planned_first_dose_date",
                "planned_first_dose_date",
                _date(_("Planned first dose")),
            ),
        ],
    )
    section(
        _("Tumour"),
        [
            (
                "histologically_confirmed",
                "tumour.histologically_confirmed",
                _yes_no(_("Histologically confirmed")),
            ),
            (
                "primary_site",
                "tumour.primary_site",
                forms.ChoiceField(
                    label=_("Primary site"),
                    required=False,
                    choices=[("", "—"), ("pancreas", _("pancreas")), ("other", _("other"))],
                ),
            ),
            (
                "differentiation",
                "tumour.differentiation",
                forms.ChoiceField(
                    label=_("Differentiation"), required=False, choices=_choices(Differentiation)
                ),
            ),
            (
                "grade",
                "tumour.grade",
                forms.ChoiceField(
                    label=_("Grade (WHO 2019)"),
                    required=False,
                    choices=[("", "—"), ("G1", "G1"), ("G2", "G2"), ("G3", "G3")],
                ),
            ),
            ("ki67_percent", "tumour.ki67_percent", _number(_("Ki-67"), "%")),
            ("metastatic", "tumour.metastatic", _yes_no(_("Metastatic"))),
            ("resectable", "tumour.resectable", _yes_no(_("Resectable"))),
            ("functional", "tumour.functional", _yes_no(_("Functional (hormone syndrome)"))),
            ("liver_metastases", "liver_metastases", _yes_no(_("Liver metastases"))),
        ],
    )
    section(
        _("Imaging and performance status"),
        [
            ("imaging_date", "imaging.date", _date(_("Baseline imaging date"))),
            (
                "measurable_disease",
                "imaging.measurable_disease",
                _yes_no(_("Measurable disease (RECIST 1.1)")),
            ),
            (
                "ecog_value",
                "ecog.value",
                forms.TypedChoiceField(
                    label=_("ECOG performance status"),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "—")] + [(str(n), str(n)) for n in range(5)],
                ),
            ),
            ("ecog_date", "ecog.date", _date(_("ECOG date"))),
        ],
    )
    therapy: list[tuple[str, str, forms.Field]] = []
    for row in range(PRIOR_THERAPY_ROWS):
        n = row + 1
        therapy += [
            (
                f"therapy{n}_category",
                f"prior_therapies.{row}.category",
                forms.ChoiceField(
                    label=_("Therapy %(n)s: category") % {"n": n},
                    required=False,
                    choices=_choices(TherapyCategory),
                ),
            ),
            (
                f"therapy{n}_agent",
                f"prior_therapies.{row}.agent",
                forms.CharField(
                    label=_("Therapy %(n)s: agent") % {"n": n}, required=False, max_length=80
                ),
            ),
            (
                f"therapy{n}_start",
                f"prior_therapies.{row}.start_date",
                _date(_("Therapy %(n)s: start") % {"n": n}),
            ),
            (
                f"therapy{n}_end",
                f"prior_therapies.{row}.end_date",
                _date(_("Therapy %(n)s: end") % {"n": n}),
            ),
            (
                f"therapy{n}_progression",
                f"prior_therapies.{row}.progression",
                _yes_no(_("Therapy %(n)s: progression on it") % {"n": n}),
            ),
        ]
    section(_("Prior therapies"), therapy)
    labs: list[tuple[str, str, forms.Field]] = []
    for lab in SCREENING_LABS:
        labs.append(
            (f"lab_{lab.analyte}", f"labs.{lab.analyte}.value", _number(lab.label, lab.unit))
        )
        if lab.lln:
            labs.append(
                (
                    f"lab_{lab.analyte}_lln",
                    f"labs.{lab.analyte}.lln",
                    _number(_("%(lab)s: lower limit") % {"lab": lab.label}, lab.unit),
                )
            )
        if lab.uln:
            labs.append(
                (
                    f"lab_{lab.analyte}_uln",
                    f"labs.{lab.analyte}.uln",
                    _number(_("%(lab)s: upper limit") % {"lab": lab.label}, lab.unit),
                )
            )
    labs.append(("lab_date", "labs.*.date", _date(_("Date of the laboratory values"))))
    labs.append(
        (
            "dipstick",
            "urine_dipsticks.0.result",
            forms.ChoiceField(
                label=_("Urine dipstick protein"), required=False, choices=_choices(Dipstick)
            ),
        )
    )
    labs.append(("dipstick_date", "urine_dipsticks.0.date", _date(_("Dipstick date"))))
    section(_("Laboratory"), labs)
    section(
        _("History and medication"),
        [
            (
                "therapeutic_anticoagulation",
                "therapeutic_anticoagulation",
                _yes_no(_("Therapeutic anticoagulation")),
            ),
            ("liver_cirrhosis", "liver_cirrhosis.present", _yes_no(_("Liver cirrhosis"))),
            (
                "uncontrolled_hypertension_days",
                "uncontrolled_hypertension_days",
                forms.IntegerField(
                    label=_("Days of uncontrolled hypertension"), required=False, min_value=0
                ),
            ),
            (
                "allergy_to_study_drugs",
                "allergy_to_study_drugs",
                _yes_no(_("Allergy to a study drug")),
            ),
        ],
    )
    section(
        _("Pregnancy"),
        [
            (
                "childbearing_potential",
                "childbearing_potential",
                _yes_no(_("Of childbearing potential")),
            ),
            ("lactating", "lactating", _yes_no(_("Lactating"))),
            (
                "pregnancy_test_type",
                "pregnancy_tests.0.type",
                forms.ChoiceField(
                    label=_("Pregnancy test"), required=False, choices=_choices(PregnancyTestType)
                ),
            ),
            (
                "pregnancy_test_result",
                "pregnancy_tests.0.result",
                forms.ChoiceField(
                    label=_("Pregnancy test result"),
                    required=False,
                    choices=_choices(PregnancyResult),
                ),
            ),
            ("pregnancy_test_date", "pregnancy_tests.0.date", _date(_("Pregnancy test date"))),
        ],
    )
    section(
        _("Investigator's attestations"),
        [(f"att_{key}", f"attestations.{key}", _yes_no(label)) for key, label in ATTESTATIONS],
    )
    return fields


FIELDS = _fields()
PATHS: dict[str, str] = {name: path for name, (path, _field) in FIELDS.items()}
LAB_ANALYTES = {lab.analyte: lab for lab in SCREENING_LABS}


class ScreeningForm(forms.Form):
    """Every screening field, optional: what is missing shows as "data missing"."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (_path, field) in FIELDS.items():
            self.fields[name] = field

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in SECTIONS]


def _value(value: Any) -> Any:
    if value in (None, ""):
        return None
    if value == "yes":
        return True
    if value == "no":
        return False
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def payload_from(cleaned: Mapping[str, Any], sex: str) -> dict[str, Any]:
    """The eligibility engine's input dict from the cleaned form (empty fields left out)."""
    payload: dict[str, Any] = {"sex": sex}
    rows: dict[str, dict[int, dict[str, Any]]] = {}
    labs: dict[str, dict[str, Any]] = {}
    lab_date = _value(cleaned.get("lab_date"))
    for name, path in PATHS.items():
        value = _value(cleaned.get(name))
        if value is None or name == "lab_date":
            continue
        parts = path.split(".")
        if parts[0] == "labs":
            labs.setdefault(parts[1], {})[parts[2]] = value
        elif len(parts) == 3:
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = value
        elif len(parts) == 2:
            payload.setdefault(parts[0], {})[parts[1]] = value
        else:
            payload[path] = value
    for key, items in rows.items():
        payload[key] = [items[i] for i in sorted(items)]
    lab_rows = []
    for analyte, values in labs.items():
        if "value" not in values:
            continue
        lab_rows.append(
            {"analyte": analyte, "unit": LAB_ANALYTES[analyte].unit, "date": lab_date, **values}
        )
    payload["labs"] = lab_rows
    for key in ("prior_therapies", "medical_history", "other_malignancies"):
        payload.setdefault(key, [])
    payload.setdefault("concomitant_medications", [])
    return payload


def _initial_value(value: Any) -> Any:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


def initial_from(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The form's initial values from a stored payload (inverse of ``payload_from``)."""
    initial: dict[str, Any] = {}
    labs = {item.get("analyte"): item for item in payload.get("labs", []) or []}
    for name, path in PATHS.items():
        parts = path.split(".")
        if parts[0] == "labs":
            if parts[1] == "*":
                first = next(iter(labs.values()), {})
                value = first.get("date")
            else:
                value = labs.get(parts[1], {}).get(parts[2])
        else:
            value = payload
            for part in parts:
                if isinstance(value, list):
                    index = int(part)
                    value = value[index] if index < len(value) else None
                elif isinstance(value, Mapping):
                    value = value.get(part)
                else:
                    value = None
        if value is not None:
            initial[name] = _initial_value(value)
    return initial
