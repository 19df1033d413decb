"""PostgreSQL with the audit chain's appends held to the end of each transaction (the
database ENGINE for PostgreSQL servers)."""
