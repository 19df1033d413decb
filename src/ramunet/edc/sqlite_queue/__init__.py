"""SQLite with its writers queued in the kernel (the database ENGINE for SQLite files)."""
