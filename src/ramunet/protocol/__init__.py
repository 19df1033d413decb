"""The RamuNET protocol as typed, immutable data: no Django, no I/O.

Modules (protocol version 01, BMC Cancer 2021, EudraCT 2017-001207-68; readings in
PROTOCOL-NOTES.md):

- ``settings``: ``ProtocolSettings``, every number an amendment may change.
- ``criteria``: inclusion IN01..IN14 and exclusion EX01..EX16, quoted, with kind and rule.
- ``regimen``: ramucirumab 8 mg/kg d1+d15 and dacarbazine 650 mg/m2 d1, 28-day cycles.
- ``schedule``: visits, windows and form codes; ``planned_calendar(first_dose, cycles)``.
- ``endpoints``: endpoint definitions and the exact binomial ``Design`` (n 45, r 33).
- ``errata``: each erratum or gap with the reading applied.
- ``study``: ``PROTOCOL`` and ``load_protocol(settings)`` tying it together.
- ``screening``, ``screening_input``, ``screening_validation``: the eligibility input, built
  from a posted dict and validated (``InvalidInput`` names the dotted field).
- ``eligibility``: ``evaluate_eligibility`` -> ``EligibilityResult``; rules in
  ``eligibility_population``, ``eligibility_labs``, ``eligibility_history``; shared pieces
  in ``findings`` and ``dates``.
"""
