"""Translated labels of the eCRF models' choices (the models keep English labels; codes,
drug names, CTCAE/RECIST codes and marker names stay as they are)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CHOICE_LABELS: dict[str, Any] = {
    "alive": _("alive"),
    "chemotherapy (non-DTIC)": _("chemotherapy (non-DTIC)"),
    "complete response": _("complete response"),
    "completed 24 months of follow-up": _("completed 24 months of follow-up"),
    "consent withdrawn": _("consent withdrawn"),
    "dead": _("dead"),
    "death": _("death"),
    "definite": _("definite"),
    "disease progression": _("disease progression"),
    "dose delayed": _("dose delayed"),
    "dose not changed": _("dose not changed"),
    "dose reduced": _("dose reduced"),
    "drug interrupted": _("drug interrupted"),
    "drug withdrawn": _("drug withdrawn"),
    "equivocal": _("equivocal"),
    "fatal": _("fatal"),
    "female": _("female"),
    "grading (WHO)": _("grading (WHO)"),
    "investigator's decision": _("investigator's decision"),
    "local ablative therapy": _("local ablative therapy"),
    "lost to follow-up": _("lost to follow-up"),
    "male": _("male"),
    "negative": _("negative"),
    "non-CR/non-PD": _("non-CR/non-PD"),
    "none": _("none"),
    "not evaluable": _("not evaluable"),
    "not recovered/not resolved": _("not recovered/not resolved"),
    "not related": _("not related"),
    "other": _("other"),
    "other cause": _("other cause"),
    "patient's decision": _("patient's decision"),
    "plasma": _("plasma"),
    "positive": _("positive"),
    "possible": _("possible"),
    "probable": _("probable"),
    "progression": _("progression"),
    "protocol treatment completed": _("protocol treatment completed"),
    "recovered with sequelae": _("recovered with sequelae"),
    "recovered/resolved": _("recovered/resolved"),
    "recovering/resolving": _("recovering/resolving"),
    "serum": _("serum"),
    "somatostatin analogue": _("somatostatin analogue"),
    "surgery": _("surgery"),
    "tissue block": _("tissue block"),
    "trace": _("trace"),
    "treatment toxicity": _("treatment toxicity"),
    "tumour progression": _("tumour progression"),
    "unacceptable toxicity": _("unacceptable toxicity"),
    "unequivocal": _("unequivocal"),
    "unknown": _("unknown"),
    "unlikely": _("unlikely"),
    "urine": _("urine"),
    "death_": _("death"),
    "life_threatening": _("life-threatening"),
    "hospitalisation": _("hospitalisation"),
    "disability": _("disability"),
    "congenital_anomaly": _("congenital anomaly"),
    "medically_important": _("medically important"),
}


def translated(choices: Any) -> list[tuple[Any, Any]]:
    """``choices`` with every known English label replaced by its translation."""
    return [(value, CHOICE_LABELS.get(str(label), label)) for value, label in choices]
