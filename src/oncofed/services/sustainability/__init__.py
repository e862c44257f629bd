"""Sustainability jobs (issue 21): emission factors, activity data, footprints, patient travel."""
