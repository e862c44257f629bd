"""Clinical notes (free text) -> patient facts with character spans, read as a clinician reads them.

    extract(text, note_id, source) -> PatientProfile     # facts with spans and provenance
    parse_file(path) -> Iterator[ParsedRecord]           # BEIR JSONL or .txt notes, bad lines reported
    targets(text) -> list[Target]                        # every mention with its context (for tools)

Modules: `text` (sentences, clauses), `scopes` (what is not the patient's history: trial
descriptions, plans, allergies; note-only negation rules), `mentions` (vocabularies + ConText),
`values` (age, sex, performance status, stage, TNM, life expectancy), `labs`, `sites` (metastatic
sites), `biomarkers`, `therapy` (treatments with setting, lines), `unread` (sentences a clinician
would look at that gave no fact), `facts` (the facts of a note), `french` (French and mixed notes),
`lowered` (case-insensitive searches, fast on French notes too). Rules and words are data:
`resources/vocab/notes_patient.yaml`, `notes_scopes.yaml`, `notes_regimens.tsv`, `notes_drugs_extra.tsv`.
"""

from oncofed.ingest.patients.notes.french import extract  # any language: French lines are read too
from oncofed.ingest.patients.notes.mentions import Target, targets
from oncofed.ingest.patients.notes.reader import parse_file, read_notes

__all__ = ["Target", "extract", "parse_file", "read_notes", "targets"]
