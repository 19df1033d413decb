"""EORTC QLQ-C30 version 3.0: the 30 answers; the system computes the scale scores."""

from __future__ import annotations

from django.db import models

from ramunet.edc.crfs.models.base import FormRecord


def _item(number: int) -> models.PositiveSmallIntegerField:
    top = 7 if number >= 29 else 4
    return models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(i, str(i)) for i in range(1, top + 1)],
        verbose_name=f"item {number}",
    )  # fmt: skip


class QlqC30(FormRecord):
    """Items 1-28 answered 1 (not at all) to 4 (very much); items 29-30 from 1 to 7."""

    FORM_CODE = "QLQC30"

    q1 = _item(1)
    q2 = _item(2)
    q3 = _item(3)
    q4 = _item(4)
    q5 = _item(5)
    q6 = _item(6)
    q7 = _item(7)
    q8 = _item(8)
    q9 = _item(9)
    q10 = _item(10)
    q11 = _item(11)
    q12 = _item(12)
    q13 = _item(13)
    q14 = _item(14)
    q15 = _item(15)
    q16 = _item(16)
    q17 = _item(17)
    q18 = _item(18)
    q19 = _item(19)
    q20 = _item(20)
    q21 = _item(21)
    q22 = _item(22)
    q23 = _item(23)
    q24 = _item(24)
    q25 = _item(25)
    q26 = _item(26)
    q27 = _item(27)
    q28 = _item(28)
    q29 = _item(29)
    q30 = _item(30)

    class Meta:
        verbose_name = "EORTC QLQ-C30"
        verbose_name_plural = "EORTC QLQ-C30"

    def answers(self) -> dict[int, int | None]:
        return {n: getattr(self, f"q{n}") for n in range(1, 31)}
