"""The pages of site staff: role home pages, screening, the casebook and the eCRFs (htmx)."""
