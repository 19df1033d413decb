"""Best overall response, unconfirmed and confirmed (RECIST 1.1 §4.4.3, §4.6.1, Table 3).

References
----------
Eisenhauer EA et al. Eur J Cancer 2009;45:228-247, §4.4.3 and Table 3; {admiralonco}
``derive_param_confirmed_bor()`` conventions (``ref_confirm`` 28, ``max_nr_ne`` 1, ``accept_sd``
FALSE); clinical-rules.md §1.9 and the ambiguity register §1.13 (A-R5, A-R6, A-R7, A-R13).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ramunet.clinical.recist.model import Response
from ramunet.clinical.recist.settings import RecistSettings

Timeline = Sequence[tuple[dt.date, Response]]

_STABLE_LIKE = frozenset({Response.CR, Response.PR, Response.SD, Response.NON_CR_NON_PD})


def until_first_progression(timeline: Timeline) -> Timeline:
    """The time points up to and including the first PD; later ones never count (§4.4.3)."""
    for index, (_, response) in enumerate(timeline):
        if response is Response.PD:
            return timeline[: index + 1]
    return timeline


def _stable_label(non_target_only: bool) -> Response:
    return Response.NON_CR_NON_PD if non_target_only else Response.SD


def _stable_met(timeline: Timeline, first_dose: dt.date, settings: RecistSettings) -> bool:
    """Some CR/PR/SD (NON-CR/NON-PD) time point lies >= ``sd_min_days`` after the first dose."""
    return any(
        response in _STABLE_LIKE and (day - first_dose).days >= settings.sd_min_days
        for day, response in timeline
    )


def _fallback(
    timeline: Timeline, first_dose: dt.date, settings: RecistSettings, non_target_only: bool
) -> Response:
    """SD if the SD minimum is met, else PD if there is a PD, else NE."""
    if _stable_met(timeline, first_dose, settings):
        return _stable_label(non_target_only)
    if any(response is Response.PD for _, response in timeline):
        return Response.PD
    return Response.NE


def unconfirmed_best_response(
    timeline: Timeline,
    *,
    first_dose: dt.date,
    settings: RecistSettings,
    non_target_only: bool = False,
) -> Response:
    """Best response without confirmation: CR > PR > SD > PD > NE, where SD (NON-CR/NON-PD)
    counts only at >= ``sd_min_days`` after the first dose (§4.4.3, §4.6.1).

    ``timeline`` is the (date, overall response) sequence in date order; time points after the
    first PD are ignored. SD before the minimum then PD gives PD; then nothing gives NE.
    """
    considered = until_first_progression(timeline)
    responses = {response for _, response in considered}
    for best in (Response.CR, Response.PR):
        if best in responses:
            return best
    return _fallback(considered, first_dose, settings, non_target_only)


def _confirmed_at(timeline: Timeline, index: int, settings: RecistSettings) -> bool:
    """Whether the CR/PR at ``index`` is confirmed by a later time point (§1.9 steps 1-2).

    CR needs a later CR >= ``confirmation_min_days`` after it with only CR or at most
    ``max_ne_between`` NE in between. PR needs a later PR or CR that far apart with only PR/CR
    or at most ``max_ne_between`` NE in between, no SD, and no PR after a CR.
    """
    first_day, first = timeline[index]
    seen_cr = first is Response.CR
    ne_count = 0
    for day, response in timeline[index + 1 :]:
        far_enough = (day - first_day).days >= settings.confirmation_min_days
        if response is Response.NE:
            ne_count += 1
            if ne_count > settings.max_ne_between:
                return False
            continue
        if first is Response.CR:
            if response is not Response.CR:
                return False
        elif response is Response.CR:
            seen_cr = True
        elif response is Response.PR:
            if seen_cr:
                return False
        else:
            return False
        if far_enough:
            return True
    return False


def confirmed_best_response(
    timeline: Timeline,
    *,
    first_dose: dt.date,
    settings: RecistSettings,
    non_target_only: bool = False,
) -> Response:
    """Best response with confirmation (§4.4.3, Table 3; clinical-rules.md §1.9 algorithm).

    CR if any confirmed CR; else PR if any confirmed PR; else SD (NON-CR/NON-PD) if any
    CR/PR/SD time point lies >= ``sd_min_days`` after the first dose (an unconfirmed response
    still counts as stable disease); else PD if a PD exists; else NE. Time points after the
    first PD are ignored. PR-SD-PR is not confirmed (A-R6), PR-NE-NE-PR neither (A-R7),
    CR-PR gives SD (A-R5).
    """
    considered = until_first_progression(timeline)
    confirmed = {
        response
        for index, (_, response) in enumerate(considered)
        if response in (Response.CR, Response.PR) and _confirmed_at(considered, index, settings)
    }
    for best in (Response.CR, Response.PR):
        if best in confirmed:
            return best
    return _fallback(considered, first_dose, settings, non_target_only)
