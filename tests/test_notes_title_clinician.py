"""A courtesy title gives the patient's sex only when it is the patient's: not a clinician's or a correspondent's
("Dr M. Laurent", "referred by Mr Hadley, consultant surgeon": UK surgeons are "Mr"; "Dear Mr Okafor"), and not
when the note's own pronoun says otherwise (then neither is read). A title read as the patient's sex made a woman
a man on a held-out set (aggregate: an inclusion's sex line read from the record violated for one trial's four
notes). Notes written here."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

CASES = [
    (
        "Referred by Mr Hadley, consultant breast surgeon. Seen today; her biopsy shows invasive ductal carcinoma.",
        "FEMALE",
    ),
    ("Dr M. Laurent reviewed the imaging with the patient; her liver lesions are stable.", "FEMALE"),
    ("Dear Mr Okafor, thank you for seeing this patient. Her ECOG is 1 and her labs are normal.", "FEMALE"),
    ("cc: Mrs J. Brown (GP). Follow-up visit: his PSA is rising on enzalutamide.", "MALE"),
    ("Re: Mrs Amal Rahman, DOB 02/03/1968. Metastatic breast cancer, ER positive.", "FEMALE"),
    ("Patient: Mr Karim Benali, 71. Prostate adenocarcinoma, Gleason 4+3.", "MALE"),
    ("Mrs Ingrid Hoffmann, 61, attends with her husband.", "FEMALE"),
    ("Mr Chen reviewed the scans this morning. Her tumour has grown.", None),
    ("Seen in Mr Patel's clinic after wide local excision; she is recovering well.", "FEMALE"),
    ("Operated under Mr Osei in 2024 (mastectomy). Now metastatic; she started letrozole.", "FEMALE"),
    ("Mr Lindqvist, 66, attends. He reports bone pain; his PSA doubled.", "MALE"),
]


@pytest.mark.parametrize(("note", "sex"), CASES)
def test_the_patient_s_sex_from_a_title_is_the_patient_s(note: str, sex: str | None) -> None:
    assert extract(note, "n", "note").sex == sex
