"""The RamuNET protocol as typed, immutable data: no Django, no I/O."""
