"""Disclosure control of per-centre counts (i2b2/SHRINE practice, PCORnet/OHDSI thresholds).

- 0 is a true zero and is shown as such (`zero: true`): a suppressed cell must not look like 0.
- 1..10 is shown as "10 or fewer" (`suppressed: true`, no number).
- above 10: the count plus a noise drawn once from a Gaussian (sd 1.33), rounded and clamped to
  +/-3, never shown below 11 (which would betray a noisy count). The noise is stored per
  (centre, set of patients counted), keyed by an HMAC with a per-database secret: asking again, or
  asking any differently-worded question that selects the same patients, returns the same answer,
  so repetition cannot average the noise away; and a count that changes over time because one patient
  was added gets fresh noise, so "before minus after" does not reveal that patient exactly.
- the network total adds the shown (noised) counts only, and says how many centres were suppressed
  (with the range their patients could add): total minus the visible cells is exactly 0, so no
  suppressed cell can be recovered by subtraction.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oncofed.store.models_trust import FeasibilityNoiseRow
from oncofed.store.repositories import MetaRepository

THRESHOLD = 10
NOISE_SD = 1.33
NOISE_CLAMP = 3
SECRET_KEY = "feasibility_secret"
_rng = secrets.SystemRandom()


@dataclass(frozen=True)
class DisclosedCount:
    value: int | None  # None when suppressed
    suppressed: bool = False
    zero: bool = False
    noised: bool = False

    @property
    def label(self) -> str:
        if self.suppressed:
            return f"{THRESHOLD} or fewer"
        return str(self.value)

    def as_json(self) -> dict[str, object]:
        return {
            "value": self.value,
            "suppressed": self.suppressed,
            "zero": self.zero,
            "noised": self.noised,
            "label": self.label,
        }


def draw_noise() -> int:
    return max(-NOISE_CLAMP, min(NOISE_CLAMP, round(_rng.gauss(0.0, NOISE_SD))))


def _secret(session: Session) -> bytes:
    meta = MetaRepository(session)
    value = meta.get(SECRET_KEY)
    if value is None:
        with contextlib.suppress(IntegrityError), session.begin_nested():  # or another process did first
            meta.set(SECRET_KEY, secrets.token_hex(32))
        value = meta.get(SECRET_KEY)
    assert value is not None
    return bytes.fromhex(value)


def result_key(secret: bytes, centre_id: str, patient_ids: Iterable[str]) -> str:
    message = centre_id + "\n" + "\n".join(sorted(patient_ids))
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def stored_noise(session: Session, centre_id: str, patient_ids: Iterable[str]) -> int:
    """The noise for this (centre, set of patients): drawn once, then always the same."""
    key = result_key(_secret(session), centre_id, patient_ids)
    existing = session.scalar(select(FeasibilityNoiseRow.noise).where(FeasibilityNoiseRow.key == key))
    if existing is not None:
        return int(existing)
    noise = draw_noise()
    try:
        with session.begin_nested():
            session.add(
                FeasibilityNoiseRow(
                    key=key,
                    centre_id=centre_id,
                    noise=noise,
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
    except IntegrityError:  # drawn concurrently by another request: use that one
        stored = session.scalar(select(FeasibilityNoiseRow.noise).where(FeasibilityNoiseRow.key == key))
        assert stored is not None
        return int(stored)
    return noise


def disclose(session: Session, centre_id: str, patient_ids: frozenset[str]) -> DisclosedCount:
    n = len(patient_ids)
    if n == 0:
        return DisclosedCount(0, zero=True)
    if n <= THRESHOLD:
        return DisclosedCount(None, suppressed=True)
    return DisclosedCount(max(THRESHOLD + 1, n + stored_noise(session, centre_id, patient_ids)), noised=True)


@dataclass(frozen=True)
class NetworkTotal:
    value: int
    suppressed_cells: int

    @property
    def range(self) -> tuple[int, int]:
        """Where the true total of the shown cells plus the suppressed ones could lie (noise aside)."""
        return self.value + self.suppressed_cells, self.value + THRESHOLD * self.suppressed_cells

    def as_json(self) -> dict[str, object]:
        low, high = self.range
        return {
            "value": self.value,
            "suppressed_cells": self.suppressed_cells,
            "range_with_suppressed": [low, high],
            "label": str(self.value)
            + (f" + {self.suppressed_cells} x (1..{THRESHOLD})" if self.suppressed_cells else ""),
        }


def network_total(cells: Iterable[DisclosedCount]) -> NetworkTotal:
    cells = list(cells)
    return NetworkTotal(
        value=sum(c.value or 0 for c in cells if not c.suppressed),
        suppressed_cells=sum(1 for c in cells if c.suppressed),
    )
