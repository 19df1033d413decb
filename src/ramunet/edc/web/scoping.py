"""Which patient or screening entry a page may show: the centre scope of the person.

A person asking for another centre's patient or candidate gets 404, exactly as for one that
does not exist, so that a URL reveals nothing about other centres (ICH E6(R2) 2.11,
confidentiality). A person in scope but without the capability the page needs gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.sites import access
from ramunet.edc.sites.models import Centre
from ramunet.edc.sites.roles import Capability


def patient_or_404(user: Any, code: str) -> Patient:
    """The patient coded ``code`` if the person may view patients of its centre."""
    visible = access.scope(Patient.objects.select_related("centre"), user, Capability.VIEW_PATIENTS)
    patient = visible.filter(code=code).first()
    if patient is None:
        raise Http404(_("No patient %(code)s in your centres.") % {"code": code})
    return patient


def entry_or_404(user: Any, pk: int) -> ScreeningEntry:
    """The screening entry ``pk`` if the person may screen at its centre."""
    visible = access.scope(ScreeningEntry.objects.select_related("centre"), user, Capability.SCREEN)
    entry = visible.filter(pk=pk).first()
    if entry is None:
        raise Http404(_("No screening entry %(pk)s in your centres.") % {"pk": pk})
    return entry


def require(user: Any, capability: Capability, centre: Centre | int | None = None) -> None:
    """403 unless the person holds ``capability`` (at ``centre``)."""
    if not access.can(user, capability, centre):
        raise PermissionDenied(
            _("Your role does not allow this: %(what)s.")
            % {"what": capability.value.replace("_", " ")}
        )


def screening_centres(user: Any) -> list[Centre]:
    """The centres where the person may screen candidates."""
    return list(access.scope(Centre.objects.order_by("code"), user, Capability.SCREEN, "pk"))
