"""Network questions answered inside each centre's partition, disclosing only controlled aggregates."""
