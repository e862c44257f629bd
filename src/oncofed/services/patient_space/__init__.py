"""A patient's own space (docs/PATIENTS.md): their record, who accessed it, the trials proposed to them,
their objection to research use and a download of all of it, each read as the patient (audited)."""
