"""EORTC QLQ-C30 version 3.0 scale scores, summary score and change from baseline.

Items are identified by number only (1..30); the questionnaire text is EORTC copyright and is not
shipped (clinical-rules.md §3, licensing note).

Scoring (Fayers et al., EORTC QLQ-C30 Scoring Manual, 3rd ed., 2001, "Scoring procedures"):

* raw score RS = mean of the answered items of the scale;
* functional scales: S = (1 - (RS - 1) / range) x 100;
* symptom scales, single items and global health status: S = ((RS - 1) / range) x 100;
* range = 3 for items 1-28 (answers 1..4) and 6 for items 29-30 (answers 1..7);
* missing items: a scale is scored when at least half of its items are answered (the mean of the
  answered items, i.e. imputing the person's mean); otherwise it is missing. A single-item scale
  with its item missing is missing (manual, "Missing items").

The summary score (Giesinger et al., J Clin Epidemiol 2016;69:79-88) is the mean of 13 scale
scores: PF2, RF2, EF, CF, SF and 100 minus FA, PA, NV, DY, SL, AP, CO, DI (QL2 and FI excluded),
computed only when all 13 are available (each under the half-of-items rule).

Scores are computed in exact rational arithmetic (``Fraction``) and returned as floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Integral
from typing import Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm

Kind = Literal["global", "functional", "symptom"]
Change = Literal["improved", "stable", "worsened"]
ITEMS = range(1, 31)


@dataclass(frozen=True)
class Scale:
    """A QLQ-C30 scale: code, name, kind and items (clinical-rules.md §3.2)."""

    code: str
    name: str
    kind: Kind
    items: tuple[int, ...]

    @property
    def item_range(self) -> int:
        """Maximum minus minimum possible answer: 6 for QL2 (items 29-30), else 3."""
        return 6 if self.kind == "global" else 3

    @property
    def higher_is_better(self) -> bool:
        """Functional scales and QL2: a higher score is better; symptom scales: worse."""
        return self.kind != "symptom"


SCALES: tuple[Scale, ...] = (
    Scale("QL2", "Global health status / QoL", "global", (29, 30)),
    Scale("PF2", "Physical functioning", "functional", (1, 2, 3, 4, 5)),
    Scale("RF2", "Role functioning", "functional", (6, 7)),
    Scale("EF", "Emotional functioning", "functional", (21, 22, 23, 24)),
    Scale("CF", "Cognitive functioning", "functional", (20, 25)),
    Scale("SF", "Social functioning", "functional", (26, 27)),
    Scale("FA", "Fatigue", "symptom", (10, 12, 18)),
    Scale("NV", "Nausea and vomiting", "symptom", (14, 15)),
    Scale("PA", "Pain", "symptom", (9, 19)),
    Scale("DY", "Dyspnoea", "symptom", (8,)),
    Scale("SL", "Insomnia", "symptom", (11,)),
    Scale("AP", "Appetite loss", "symptom", (13,)),
    Scale("CO", "Constipation", "symptom", (16,)),
    Scale("DI", "Diarrhoea", "symptom", (17,)),
    Scale("FI", "Financial difficulties", "symptom", (28,)),
)
SCALE_BY_CODE: dict[str, Scale] = {scale.code: scale for scale in SCALES}
SUMMARY_FUNCTIONAL = ("PF2", "RF2", "EF", "CF", "SF")
SUMMARY_SYMPTOMS = ("FA", "PA", "NV", "DY", "SL", "AP", "CO", "DI")
SCORE_KEYS: tuple[str, ...] = (*SCALE_BY_CODE, "SUMMARY")
CHANGE_THRESHOLD_POINTS = 10  # Osoba et al. 1998: >= 10 points is "moderate" or more


def _answer_limit(item: int) -> int:
    return 7 if item >= 29 else 4


def validate_answers(answers: object) -> dict[int, int | None]:
    """Check a form's answers; absent items count as missing (None).

    Raises ``InvalidInput`` naming the item: ``"item 12 answer 5: outside 1..4"``.
    """
    if not isinstance(answers, Mapping):
        raise InvalidInput(
            "answers", "must map item numbers 1..30 to answers", type(answers).__name__
        )
    checked: dict[int, int | None] = dict.fromkeys(ITEMS)
    for item, answer in answers.items():
        if isinstance(item, bool) or not isinstance(item, Integral) or int(item) not in ITEMS:
            raise InvalidInput("item", "not an item number; expected 1..30", item)
        number = int(item)
        if answer is None:
            continue
        limit = _answer_limit(number)
        if isinstance(answer, bool) or not isinstance(answer, Integral):
            raise InvalidInput(
                f"item {number} answer", f"must be a whole number 1..{limit} or None", answer
            )
        if not 1 <= int(answer) <= limit:
            raise InvalidInput(f"item {number} answer", f"outside 1..{limit}", answer)
        checked[number] = int(answer)
    return checked


def _scale_score(scale: Scale, answers: Mapping[int, int | None]) -> Fraction | None:
    given = [answer for item in scale.items if (answer := answers[item]) is not None]
    if 2 * len(given) < len(scale.items):  # fewer than half of the items answered
        return None
    raw = Fraction(sum(given), len(given))
    share = (raw - 1) / scale.item_range
    return (1 - share) * 100 if scale.kind == "functional" else share * 100


def _summary(scores: Mapping[str, Fraction | None]) -> Fraction | None:
    parts: list[Fraction] = []
    for code in SUMMARY_FUNCTIONAL:
        value = scores[code]
        if value is None:
            return None
        parts.append(value)
    for code in SUMMARY_SYMPTOMS:
        value = scores[code]
        if value is None:
            return None
        parts.append(100 - value)
    return sum(parts, Fraction(0)) / len(parts)


def exact_scores(answers: Mapping[int, int | None]) -> dict[str, Fraction | None]:
    """As ``score``, in exact fractions (e.g. FA 400/9)."""
    checked = validate_answers(answers)
    scores: dict[str, Fraction | None] = {
        scale.code: _scale_score(scale, checked) for scale in SCALES
    }
    scores["SUMMARY"] = _summary(scores)
    return scores


def score(answers: Mapping[int, int | None]) -> dict[str, float | None]:
    """Score one QLQ-C30 v3.0 form.

    Parameters
    ----------
    answers
        Item number (1..30) -> answer (items 1-28: 1..4; items 29-30: 1..7) or ``None`` when
        missing. Items not in the mapping count as missing.

    Returns
    -------
    dict
        ``QL2, PF2, RF2, EF, CF, SF, FA, NV, PA, DY, SL, AP, CO, DI, FI`` and ``SUMMARY``, each a
        score 0..100, or ``None`` where the missing-item rules leave it uncomputable.

    Raises
    ------
    InvalidInput
        An item number outside 1..30 or an answer outside its range, naming the item
        (``"item 12 answer 5: outside 1..4"``).

    References
    ----------
    Fayers PM et al., EORTC QLQ-C30 Scoring Manual, 3rd ed., 2001 (scoring procedures, missing
    items); Giesinger JM et al., J Clin Epidemiol 2016;69:79-88 (summary score).

    Examples
    --------
    >>> round(score({1: 2, 2: 3, 3: 1, 4: 1, 5: 1})["PF2"], 2)
    80.0
    """
    return {
        code: None if value is None else float(value)
        for code, value in exact_scores(answers).items()
    }


def _scale_direction(code: object) -> bool:
    if code == "SUMMARY":
        return True
    if isinstance(code, str) and code in SCALE_BY_CODE:
        return SCALE_BY_CODE[code].higher_is_better
    raise UnknownTerm("scale", code, SCORE_KEYS)


def _checked_score(value: object, name: str) -> Fraction:
    if isinstance(value, bool):
        raise InvalidInput(name, "must be a score 0..100", value)
    if isinstance(value, float):  # its shortest decimal: 44.44444444444444
        exact = Fraction(repr(float(value)))
    elif isinstance(value, Decimal | Fraction):
        exact = Fraction(value)
    elif isinstance(value, Integral):
        exact = Fraction(int(value))
    else:
        raise InvalidInput(name, "must be a score 0..100", value)
    if not 0 <= exact <= 100:
        raise InvalidInput(name, "outside 0..100", value)
    return exact


def classify_change(
    scale: str,
    baseline: float | Fraction | None,
    follow_up: float | Fraction | None,
    threshold: float = CHANGE_THRESHOLD_POINTS,
) -> Change | None:
    """Classify a change from baseline as improved, stable or worsened (Osoba et al. 1998).

    A change of at least ``threshold`` points (default 10, inclusive) in the better direction is
    "improved", in the worse direction "worsened", anything smaller "stable". Direction: for
    functional scales, QL2 and SUMMARY higher is better; for symptom scales higher is worse
    (clinical-rules.md §3.6). Floats are read as their shortest decimal and compared exactly
    after rounding the change to 9 decimals, so that float noise in scores such as 66.666...
    never decides a boundary. Returns ``None`` when either score is missing.

    References
    ----------
    Osoba D, Rodrigues G, Myles J, Zee B, Pater J. J Clin Oncol 1998;16:139-144.
    """
    higher_is_better = _scale_direction(scale)
    limit = _checked_score(threshold, "threshold")
    if limit <= 0:
        raise InvalidInput("threshold", "must be > 0", threshold)
    if baseline is None or follow_up is None:
        _ = None if baseline is None else _checked_score(baseline, "baseline")
        _ = None if follow_up is None else _checked_score(follow_up, "follow_up")
        return None
    change = _checked_score(follow_up, "follow_up") - _checked_score(baseline, "baseline")
    better = round(change if higher_is_better else -change, 9)
    if better >= limit:
        return "improved"
    if better <= -limit:
        return "worsened"
    return "stable"


def change_from_baseline(
    baseline: Mapping[str, float | None],
    follow_up: Mapping[str, float | None],
    threshold: float = CHANGE_THRESHOLD_POINTS,
) -> dict[str, Change | None]:
    """``classify_change`` for every scale and the summary score of two ``score()`` results."""
    return {
        code: classify_change(code, baseline.get(code), follow_up.get(code), threshold)
        for code in SCORE_KEYS
    }
