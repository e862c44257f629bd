"""Importers: registries, FHIR, CSV, ... into the domain model."""
