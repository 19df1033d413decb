"""Clinical rules any trial could use: no Django, no I/O."""
