"""The RamuNET protocol, version 01, tied together: criteria, regimen, schedule, endpoints.

``load_protocol(settings)`` builds the protocol for a set of settings (an amendment is a new
``ProtocolSettings``); ``PROTOCOL`` is the published protocol with the default settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ramunet.protocol.criteria import EXCLUSION, INCLUSION, Criterion
from ramunet.protocol.endpoints import DESIGN, Design, Endpoint, build_endpoints
from ramunet.protocol.errata import ERRATA, Erratum
from ramunet.protocol.regimen import Regimen, build_regimen
from ramunet.protocol.schedule import Visit, visit_plan
from ramunet.protocol.settings import DEFAULT_SETTINGS, ProtocolSettings


@dataclass(frozen=True)
class Protocol:
    """Everything the system needs to know about the RamuNET protocol."""

    title: str
    eudract: str
    version: str
    settings: ProtocolSettings
    inclusion: tuple[Criterion, ...]
    exclusion: tuple[Criterion, ...]
    regimen: Regimen
    visits: tuple[Visit, ...]
    endpoints: tuple[Endpoint, ...]
    design: Design
    errata: tuple[Erratum, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.inclusion + self.exclusion


def load_protocol(settings: ProtocolSettings = DEFAULT_SETTINGS) -> Protocol:
    """The RamuNET protocol with ``settings`` (default: the published protocol, version 01)."""
    return Protocol(
        title=(
            "RamuNET: ramucirumab in combination with dacarbazine in progressive "
            "well-differentiated metastatic pancreatic neuroendocrine tumours"
        ),
        eudract="2017-001207-68",
        version=settings.version,
        settings=settings,
        inclusion=INCLUSION,
        exclusion=EXCLUSION,
        regimen=build_regimen(settings),
        visits=visit_plan(None, settings),
        endpoints=build_endpoints(settings),
        design=DESIGN,
        errata=ERRATA,
    )


PROTOCOL = load_protocol()
