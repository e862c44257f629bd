"""The ranker's patient-side vectors (matching/ranking/dense.py): the sentence embeddings of the text a
stored patient is ranked by (the record written as a case summary), kept with the patient so that
the match page, its JSON twin, another server worker, a CLI call and a tumour-board freeze encode a
record's text once. One row per patient: the vectors of its latest text, used only while
`text_hash` (the model and the text, `dense.query_key`) equals the hash of the text being ranked; a
record change (or a birthday: the age is in the text) gives a new hash and the row is replaced.
Deleted with the patient."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from oncofed.store.models import Base


class PatientTextVectorsRow(Base):
    __tablename__ = "patient_text_vectors"
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)  # the whole text, then each sentence
    vectors: Mapped[bytes] = mapped_column(LargeBinary)  # rows x 384 float32, little-endian
