"""The care-pathway event vocabulary shared by the importer, the generator and the indicators."""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "diagnosis",
    "mdt_review",
    "care_plan",
    "first_treatment",
    "surgery",
    "radiotherapy",
    "systemic_therapy",
    "trial_inclusion",
    "supportive_care",
    "survey",
    "death",
)
TREATMENT_EVENTS: tuple[str, ...] = ("first_treatment", "surgery", "radiotherapy", "systemic_therapy")
MODALITIES: tuple[str, ...] = ("surgery", "radiotherapy", "systemic_therapy")
SURVEY_ITEMS: tuple[str, ...] = ("overall", "information", "respect")
SURVEY_MIN, SURVEY_MAX = 0.0, 100.0
COLUMNS: tuple[str, ...] = ("patient_id", "centre_id", "event", "event_date", "detail", "value")

# Why a row is excluded, in the order the checks are applied (the first that applies is reported).
REJECT_REASONS: tuple[str, ...] = (
    "invalid_value",
    "unknown_patient",
    "unknown_centre",
    "duplicate",
    "survey_out_of_range",
    "negative_delay",
    "dates_out_of_order",
)
