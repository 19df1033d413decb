"""Time-point responses: target lesions, non-target lesions and the overall response.

Sums are integer tenths of a millimetre, so the thresholds are exact integer comparisons:
PR ``S <= 0.7 x B`` is ``10 S <= 7 B``; PD ``S >= 1.2 x N`` is ``5 S >= 6 N`` together with
``S - N >= 5 mm`` (clinical-rules.md §0.1, §1.4).

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247, §4.3.1 (target response), §4.3.3-4.3.5
(non-target, new lesions), §4.4.1 Tables 1 and 2 (overall response), §4.4.2 (missing
measurements); clinical-rules.md §1.4-1.8 and the ambiguity register §1.13 (A-R1: CR is
tested first, so target nodes that all stay < 10 mm are CR whatever their sum does).
"""

from __future__ import annotations

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.recist.model import NonTargetStatus, Response

PD_ABSOLUTE_TENTHS = 50

_TARGET_VALUES = frozenset({Response.CR, Response.PR, Response.SD, Response.PD, Response.NE})
_NON_TARGET_VALUES = frozenset(
    {Response.CR, Response.NON_CR_NON_PD, Response.PD, Response.NE, Response.NA}
)
_NON_TARGET_FROM_STATUS = {
    NonTargetStatus.CR: Response.CR,
    NonTargetStatus.NON_CR_NON_PD: Response.NON_CR_NON_PD,
    NonTargetStatus.PD: Response.PD,
    NonTargetStatus.NE: Response.NE,
}


def is_progression(sum_tenths: int, nadir_tenths: int) -> bool:
    """PD of target lesions: ``S - N >= 5 mm`` and ``S >= 1.2 x N``, both inclusive (§4.3.1)."""
    return sum_tenths - nadir_tenths >= PD_ABSOLUTE_TENTHS and 5 * sum_tenths >= 6 * nadir_tenths


def is_partial_response(sum_tenths: int, baseline_tenths: int) -> bool:
    """PR of target lesions: at least 30% below the baseline sum, ``S <= 0.7 x B`` (§4.3.1)."""
    return 10 * sum_tenths <= 7 * baseline_tenths


def target_response(
    sum_tenths: int,
    complete: bool,
    complete_response: bool,
    baseline_tenths: int,
    nadir_tenths: int,
) -> Response:
    """Target-lesion response at one time point (RECIST 1.1 §4.3.1, §4.4.2).

    Parameters
    ----------
    sum_tenths
        Sum of the measured diameters (tenths of a mm); partial when not ``complete``.
    complete
        Every target lesion was measured. If not, the time point is NE unless the measured
        lesions alone already meet PD against the nadir (§4.4.2).
    complete_response
        Every non-nodal target is 0 mm and every nodal target is < 10 mm short axis.
    baseline_tenths, nadir_tenths
        Baseline sum, and the smallest complete sum before this time point (baseline included).
    """
    if not complete:
        return Response.PD if is_progression(sum_tenths, nadir_tenths) else Response.NE
    if complete_response:
        return Response.CR
    if is_progression(sum_tenths, nadir_tenths):
        return Response.PD
    if is_partial_response(sum_tenths, baseline_tenths):
        return Response.PR
    return Response.SD


def non_target_response(status: NonTargetStatus | None, has_non_targets: bool) -> Response:
    """Non-target response: the reader's status; NE when not assessed; NA with no non-target
    disease at baseline (RECIST 1.1 §4.3.3-4.3.4)."""
    if not has_non_targets:
        return Response.NA
    if status is None:
        return Response.NE
    return _NON_TARGET_FROM_STATUS[status]


def _shown(value: object) -> object:
    return value.value if isinstance(value, Response) else value


def classify_overall_response(target: Response, non_target: Response, new_lesion: bool) -> Response:
    """Overall time-point response by RECIST 1.1 Table 1 (target disease) or Table 2
    (``target`` NA: non-target disease only); an equivocal new lesion is passed as ``False``.

    Order (clinical-rules.md §1.7): new lesion -> PD; target or non-target PD -> PD; target NE
    -> NE; target CR -> CR if non-target CR or NA else PR; target PR -> PR; SD -> SD.

    Raises
    ------
    InvalidInput
        A category that does not belong in its column.
    """
    if target not in _TARGET_VALUES and target is not Response.NA:
        raise InvalidInput("target", "expected CR, PR, SD, PD, NE or NA", _shown(target))
    if non_target not in _NON_TARGET_VALUES:
        raise InvalidInput(
            "non_target", "expected CR, NON-CR/NON-PD, PD, NE or NA", _shown(non_target)
        )
    if target is Response.NA and non_target is Response.NA:
        raise InvalidInput("non_target", "neither target nor non-target disease", "NA")
    return overall_response(target, non_target, new_lesion)


def overall_response(target: Response, non_target: Response, new_lesion: bool) -> Response:
    """``classify_overall_response`` for categories already known to be valid (hot path)."""
    if new_lesion or target is Response.PD or non_target is Response.PD:
        return Response.PD
    if target is Response.NA:  # Table 2: CR, NON-CR/NON-PD or NE as the non-target column says
        return non_target
    if target is Response.NE:
        return Response.NE
    if target is Response.CR:
        return Response.CR if non_target in (Response.CR, Response.NA) else Response.PR
    return target  # PR or SD, whatever the non-PD non-target column
