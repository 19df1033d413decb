"""The Django EDC around the pure domain core."""
