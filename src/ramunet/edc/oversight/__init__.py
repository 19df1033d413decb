"""The pages of monitors, data managers, the PI and the DSMB: queries, SDV, signatures, audit
trails, locks, exports and the oversight dashboards (htmx)."""
