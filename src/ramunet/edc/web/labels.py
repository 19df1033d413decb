"""Translated labels of the states and statuses the domain keeps as English codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CRITERION_STATES = {
    "met": (_("met"), "ok"),
    "not met": (_("not met"), "error"),
    "data missing": (_("data missing"), "muted"),
    "investigator confirmation needed": (_("confirmation needed"), "warn"),
    "not applied (erratum)": (_("not applied (erratum)"), "muted"),
}
VERDICTS = {
    "eligible": (_("eligible"), "ok"),
    "not eligible": (_("not eligible"), "error"),
    "incomplete": (_("incomplete"), "muted"),
    "needs review": (_("needs review"), "warn"),
    "": (_("not evaluated"), "muted"),
}
SCREENING_STATUS = {
    "open": (_("in screening"), "info"),
    "failed": (_("screening failure"), "error"),
    "registered": (_("registered"), "ok"),
    "withdrawn": (_("withdrawn"), "muted"),
}
VISIT_STATUS = {
    "planned": _("planned"),
    "done": _("done"),
    "missed": _("missed"),
    "cancelled": _("not needed"),
    "due": _("due"),
    "overdue": _("overdue"),
}
PATIENT_STATUS = {
    "registered": _("registered"),
    "on_treatment": _("on treatment"),
    "follow_up": _("follow-up"),
    "completed": _("completed the study"),
    "withdrawn": _("withdrawn"),
    "died": _("died"),
}

# the eCRF titles of ``ramunet.protocol.schedule.FORMS``, translated
FORM_TITLES = {
    "CONSENT": _("Informed consent"),
    "ELIG": _("Eligibility"),
    "DEMOG": _("Demographics and tumour"),
    "MH": _("Medical history"),
    "PRIOR": _("Prior tumour therapies"),
    "TUMOUR": _("Tumour imaging and RECIST 1.1"),
    "PE": _("Physical examination, height and weight"),
    "ECOG": _("ECOG performance status"),
    "VITALS": _("Vital signs incl. blood pressure"),
    "HAEM": _("Haematology"),
    "CHEM": _("Chemistry"),
    "COAG": _("Coagulation"),
    "URINE": _("Urine protein"),
    "PREG": _("Pregnancy test"),
    "CGA": _("Chromogranin A / specific hormone"),
    "QLQC30": "EORTC QLQ-C30",
    "TISSUE": _("Tissue block request"),
    "BIOSAMPLE": _("Serum/plasma sample"),
    "EXPOSURE": _("Drug administration"),
    "AE": _("Adverse events"),
    "CM": _("Concomitant medication"),
    "EOT": _("End of treatment"),
    "FOLLOWUP": _("Survival, progression, subsequent therapy"),
    "TRANSL": _("Central translational results"),
    "DEATH": _("Death"),
    "EOS": _("End of study"),
}


def visit_label(code: str, label: str) -> str:
    """The visit's label in the current language, from its code (``C2D15``, ``W12``, ``M09``);
    an unscheduled or unknown visit keeps its stored label."""
    import re

    from django.utils.translation import gettext

    fixed = {
        "SCR": gettext("Screening"),
        "EOT": gettext("End of treatment"),
        "SFU": gettext("Safety follow-up"),
    }
    if code in fixed:
        return fixed[code]
    if match := re.fullmatch(r"C(\d+)D(\d+)", code):
        return gettext("Cycle %(cycle)s day %(day)s") % {
            "cycle": match.group(1),
            "day": match.group(2),
        }
    if match := re.fullmatch(r"W(\d+)", code):
        return gettext("Week %(week)s assessment") % {"week": int(match.group(1))}
    if match := re.fullmatch(r"M(\d+)", code):
        return gettext("Follow-up month %(month)s") % {"month": int(match.group(1))}
    return label
