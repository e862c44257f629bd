"""Workforce engines (issue 21): the pay grid as dated data, negotiation costing, compliance.

Pure functions over `oncofed.domain.workforce` values; no store, no services."""
