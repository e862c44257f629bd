"""Patient importers: FHIR/mCODE Bundles, MatchMiner records, flat CSV, clinical notes."""
