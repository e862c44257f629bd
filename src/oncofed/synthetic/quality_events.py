"""Seeded synthetic care-pathway events, vectorised with numpy (10 million events in seconds).

Centres differ realistically (between-centre spread, hence over-dispersion) and a few are planted
outliers: a centre with few tumour-board reviews before treatment, a slow one, a research-heavy
one, one that rarely hands over the care plan, one with little supportive care and one with a low
experience score. `dirty` injects bad rows of every kind the importer must reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from oncofed.quality.events import EVENT_TYPES, MODALITIES, SURVEY_ITEMS

EPOCH = date(1970, 1, 1)
DEFAULT_START = date(2025, 1, 1)
DETAILS: tuple[str, ...] = MODALITIES + SURVEY_ITEMS
EV = {name: i for i, name in enumerate(EVENT_TYPES)}
DT = {name: i for i, name in enumerate(DETAILS)}
# (centre index, parameter, value): planted outliers, only when the network has that many centres
OUTLIERS = (
    (2, "p_mdt", 0.72),
    (5, "delay", 40.0),
    (0, "p_trial", 0.19),
    (3, "p_plan", 0.55),
    (7, "p_support", 0.38),
    (9, "survey", 70.0),
)
EVENTS_PER_PATIENT = 8.1  # expectation under the default profiles, used to size a run


@dataclass(frozen=True)
class CentreProfiles:
    p_mdt: np.ndarray
    delay: np.ndarray
    p_trial: np.ndarray
    p_plan: np.ndarray
    p_support: np.ndarray
    survey: np.ndarray


def centre_profiles(n_centres: int, seed: int = 42) -> CentreProfiles:
    """Per-centre performance: network typical value + between-centre spread + planted outliers."""
    rng = np.random.default_rng(seed + 1)
    z = rng.standard_normal((6, n_centres))
    params = {
        "p_mdt": np.clip(0.92 + 0.025 * z[0], 0.80, 0.97),
        "delay": 22.0 * np.exp(0.12 * z[1]),
        "p_trial": np.clip(0.08 + 0.015 * z[2], 0.02, 0.30),
        "p_plan": np.clip(0.85 + 0.04 * z[3], 0.40, 0.98),
        "p_support": np.clip(0.66 + 0.05 * z[4], 0.20, 0.95),
        "survey": 80.0 + 2.0 * z[5],
    }
    for idx, name, value in OUTLIERS:
        if idx < n_centres:
            params[name][idx] = value
    return CentreProfiles(**params)


def _days(d: date) -> int:
    return (d - EPOCH).days


def generate_events(
    patient_ids: list[str] | np.ndarray,
    patient_centres: np.ndarray,
    centre_ids: list[str],
    seed: int = 42,
    start: date = DEFAULT_START,
    months: int = 12,
    dirty: float = 0.0,
) -> pa.Table:
    """Events for the given patients (`patient_centres[i]` indexes `centre_ids`) as an Arrow table
    with columns patient_id, centre_id, event, event_date, detail, value (dictionary-encoded)."""
    rng = np.random.default_rng(seed)
    n = len(patient_ids)
    c = np.asarray(patient_centres, dtype=np.int32)
    prof = centre_profiles(len(centre_ids), seed)
    start_day = _days(start)
    period = int(round(months * 30.44))
    u = rng.random((n, 9), dtype=np.float32)
    diag = start_day + rng.integers(0, period, n, dtype=np.int32)
    treated = u[:, 0] < 0.95
    delay = np.maximum(1, np.rint(np.exp(np.log(prof.delay[c]) + 0.45 * rng.standard_normal(n)))).astype(
        np.int32
    )
    tx = diag + delay
    segments: list[tuple[np.ndarray, int | np.ndarray, np.ndarray, np.ndarray | int, np.ndarray | None]] = []

    def add(
        idx: np.ndarray,
        event: int | np.ndarray,
        day: np.ndarray,
        detail: np.ndarray | int = -1,
        value: np.ndarray | None = None,
    ) -> None:
        segments.append((idx.astype(np.int32), event, day.astype(np.int32), detail, value))

    all_idx = np.arange(n, dtype=np.int32)
    add(all_idx, EV["diagnosis"], diag)
    # tumour board: before treatment with the centre's probability, otherwise after it, or never (3 %)
    before = u[:, 1] < prof.p_mdt[c]
    after = ~before & (u[:, 1] < 0.97)
    span = np.maximum(delay - 1, 1)
    mdt_day = np.where(before, diag + (rng.random(n) * span).astype(np.int32), tx + rng.integers(1, 22, n))
    mdt_day = np.where(~treated, diag + rng.integers(3, 21, n), mdt_day)
    has_mdt = before | after
    add(all_idx[has_mdt], EV["mdt_review"], mdt_day[has_mdt])
    plan = u[:, 2] < prof.p_plan[c]
    add(all_idx[plan], EV["care_plan"], (diag + rng.integers(5, 46, n))[plan])
    modality = rng.choice(len(MODALITIES), n, p=[0.45, 0.20, 0.35]).astype(np.int32)
    t_idx = all_idx[treated]
    add(t_idx, EV["first_treatment"], tx[treated], modality[treated])
    add(t_idx, np.array([EV[m] for m in MODALITIES], dtype=np.int32)[modality[treated]], tx[treated], -1)
    second = treated & (u[:, 3] < 0.5)
    second_mod = rng.integers(0, len(MODALITIES), n)
    add(
        all_idx[second],
        np.array([EV[m] for m in MODALITIES], dtype=np.int32)[second_mod[second]],
        (tx + rng.integers(30, 121, n))[second],
    )
    trial = u[:, 4] < prof.p_trial[c]
    add(all_idx[trial], EV["trial_inclusion"], (diag + rng.integers(10, 181, n))[trial])
    support = u[:, 5] < prof.p_support[c]
    visits = np.where(support, 1 + rng.poisson(1.2, n), 0)
    s_idx = np.repeat(all_idx, visits)
    visit_no = np.arange(s_idx.size) - np.repeat(np.cumsum(visits) - visits, visits)
    add(s_idx, EV["supportive_care"], diag[s_idx] + 5 + 30 * visit_no + rng.integers(0, 30, s_idx.size))
    surveyed = treated & (u[:, 6] < 0.45)
    v_idx = np.repeat(all_idx[surveyed], len(SURVEY_ITEMS))
    items = np.tile(np.arange(len(SURVEY_ITEMS), dtype=np.int32), int(surveyed.sum()))
    offsets = np.array([0.0, -4.0, 3.0])[items]
    scores = np.clip(
        np.rint(prof.survey[c[v_idx]] + offsets + 14.0 * rng.standard_normal(v_idx.size)), 0, 100
    )
    survey_day = np.repeat((tx + rng.integers(30, 91, n))[surveyed], len(SURVEY_ITEMS))
    add(v_idx, EV["survey"], survey_day, items + len(MODALITIES), scores)

    pidx = np.concatenate([s[0] for s in segments])
    event = np.concatenate(
        [np.full(s[0].shape, s[1], np.int32) if isinstance(s[1], int) else s[1] for s in segments]
    ).astype(np.int8)
    day = np.concatenate([s[2] for s in segments])
    detail = np.concatenate(
        [np.full(s[0].shape, s[3], np.int32) if isinstance(s[3], int) else s[3] for s in segments]
    ).astype(np.int8)
    value = np.concatenate([s[4] if s[4] is not None else np.full(s[0].size, np.nan) for s in segments])
    # deaths (6 %) come after the patient's last recorded event
    last = np.full(n, np.iinfo(np.int32).min, dtype=np.int32)
    np.maximum.at(last, pidx, day)
    dead = u[:, 7] < 0.06
    d_idx = all_idx[dead]
    pidx = np.concatenate([pidx, d_idx])
    event = np.concatenate([event, np.full(d_idx.size, EV["death"], np.int8)])
    day = np.concatenate([day, last[dead] + rng.integers(1, 61, d_idx.size).astype(np.int32)])
    detail = np.concatenate([detail, np.full(d_idx.size, -1, np.int8)])
    value = np.concatenate([value, np.full(d_idx.size, np.nan)])

    ids = np.asarray(patient_ids, dtype=object)
    if dirty > 0:
        pidx, event, day, detail, value, ids = _inject_bad_rows(
            rng, pidx, event, day, detail, value, ids, diag, dirty
        )
    centre_of_row = c[np.minimum(pidx, n - 1)]
    return _to_arrow(pidx, event, day, detail, value, ids, centre_of_row, centre_ids)


def _inject_bad_rows(
    rng: np.random.Generator,
    pidx: np.ndarray,
    event: np.ndarray,
    day: np.ndarray,
    detail: np.ndarray,
    value: np.ndarray,
    ids: np.ndarray,
    diag: np.ndarray,
    dirty: float,
):  # type: ignore[no-untyped-def]
    """About `dirty` x rows of each bad kind: unknown patients, duplicates, scores out of range,
    treatment before diagnosis, care plan before diagnosis."""
    m = max(1, int(round(dirty * pidx.size)))
    n = ids.size
    # modified in place: survey scores out of range, negative delays, dates out of order
    for ev_name, fix in (("survey", "score"), ("first_treatment", "negative"), ("care_plan", "before")):
        rows = np.flatnonzero(event == EV[ev_name])
        if rows.size == 0:
            continue
        pick = rng.choice(rows, min(m, rows.size), replace=False)
        if fix == "score":
            value[pick] = np.where(
                rng.random(pick.size) < 0.5,
                100 + rng.integers(1, 50, pick.size),
                -rng.integers(1, 20, pick.size),
            )
        else:
            day[pick] = diag[pidx[pick]] - rng.integers(1, 40, pick.size)
    dup = rng.choice(pidx.size, m, replace=True)
    unknown = rng.choice(pidx.size, m, replace=True)
    new_ids = np.array([f"UNKNOWN-{i:06d}" for i in range(m)], dtype=object)
    extra_p = np.concatenate([pidx[dup], n + np.arange(m, dtype=np.int32)])
    src = np.concatenate([dup, unknown])
    ids = np.concatenate([ids, new_ids])
    return (
        np.concatenate([pidx, extra_p]),
        np.concatenate([event, event[src]]),
        np.concatenate([day, day[src]]),
        np.concatenate([detail, detail[src]]),
        np.concatenate([value, value[src]]),
        ids,
    )


def _to_arrow(
    pidx: np.ndarray,
    event: np.ndarray,
    day: np.ndarray,
    detail: np.ndarray,
    value: np.ndarray,
    ids: np.ndarray,
    centre_of_row: np.ndarray,
    centre_ids: list[str],
) -> pa.Table:
    order = np.argsort(pidx, kind="stable")
    pidx, event, day, detail, value, centre_of_row = (
        a[order] for a in (pidx, event, day, detail, value, centre_of_row)
    )
    detail_mask = detail < 0
    return pa.table(
        {
            "patient_id": pa.DictionaryArray.from_arrays(
                pa.array(pidx, pa.int32()), pa.array(ids.tolist(), pa.string())
            ),
            "centre_id": pa.DictionaryArray.from_arrays(
                pa.array(centre_of_row, pa.int32()), pa.array(centre_ids, pa.string())
            ),
            "event": pa.DictionaryArray.from_arrays(
                pa.array(event.astype(np.int32)), pa.array(list(EVENT_TYPES))
            ),
            "event_date": pa.array(day, pa.int32()).cast(pa.date32()),
            "detail": pa.DictionaryArray.from_arrays(
                pa.array(np.where(detail_mask, 0, detail).astype(np.int32), mask=detail_mask),
                pa.array(list(DETAILS)),
            ),
            "value": pa.array(value, pa.float64(), from_pandas=True),
        }
    )


def generate_network(
    n_events: int, centre_ids: list[str], seed: int = 42, dirty: float = 0.0, months: int = 12
) -> tuple[pa.Table, pa.Table]:
    """A network-sized run: about `n_events` events and the matching patient list
    (patient_id, centre_id). Centre volumes differ (gamma-distributed weights)."""
    rng = np.random.default_rng(seed + 2)
    n_patients = max(1, int(n_events / EVENTS_PER_PATIENT * 1.03))  # a little more, then trimmed
    weights = rng.gamma(2.0, 1.0, len(centre_ids))
    centres = rng.choice(len(centre_ids), n_patients, p=weights / weights.sum()).astype(np.int32)
    ids = np.char.add("SYN-", np.char.zfill(np.arange(n_patients).astype("U9"), 8)).astype(object)
    events = generate_events(ids, centres, centre_ids, seed=seed, months=months, dirty=dirty)
    if events.num_rows > n_events:
        events = events.slice(0, n_events)
    patients = pa.table(
        {
            "patient_id": pa.array(ids.tolist(), pa.string()),
            "centre_id": pa.array(np.asarray(centre_ids, dtype=object)[centres].tolist(), pa.string()),
        }
    )
    return events, patients


def write_parquet(table: pa.Table, path: str) -> None:
    pq.write_table(table, path, compression="zstd", row_group_size=1 << 20)
