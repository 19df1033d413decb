"""Exact designs, binomial inference, monitoring, survival and summaries: no Django."""
