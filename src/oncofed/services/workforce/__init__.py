"""Workforce jobs (issue 21): the pay grid, payroll imports per centre, compliance and costing."""
