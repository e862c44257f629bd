"""Match a patient to open trials: from the store (actor-scoped) or from a profile/note file.

The CLI (`oncofed match`) and the web (`/api/patients/{id}/matches`, `/patients/{id}/matches`)
both call these functions. The trial index (criteria parsed once) is cached per database and
rebuilt when the trials change.
"""

from __future__ import annotations

import gc
import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from oncofed.domain import Actor, GeoPoint, PatientProfile, TrialStatus
from oncofed.errors import InputError
from oncofed.matching.criteria_source import eligibility_parser, trial_criteria
from oncofed.matching.pipeline import DEFAULT_LIMIT, MatchReport, match_patient
from oncofed.matching.retrieve import TrialIndex
from oncofed.store.db import Database
from oncofed.store.mapping import fact_from_json
from oncofed.store.models import TrialRow
from oncofed.store.repositories import PatientRepository, TrialRepository

_CACHE: dict[str, tuple[tuple[Any, ...], TrialIndex]] = {}
_LOCK = threading.Lock()


def trial_index(db: Database) -> TrialIndex:
    """The open-trial index of `db`, rebuilt only when trials changed (count, last update, parser)."""
    with db.session() as s:
        count, last = s.execute(
            select(func.count(), func.max(TrialRow.updated_at)).select_from(TrialRow)
        ).one()
        signature = (int(count or 0), str(last), eligibility_parser() is not None)
        key = str(db.engine.url)
        with _LOCK:
            cached = _CACHE.get(key)
            if cached and cached[0] == signature:
                return cached[1]
            trials = TrialRepository(s).list(status=TrialStatus.RECRUITING.value)
            index = TrialIndex(trials, criteria_of=lambda t: trial_criteria(t, db))
            _CACHE[key] = (signature, index)
            # The index is long-lived and large (every criterion atom of every open trial): move it
            # out of the cyclic GC's generations so full collections do not walk it on each request.
            gc.collect()
            gc.freeze()
            return index


def match_stored_patient(
    db: Database, actor: Actor, patient_id: str, *, day: date | None = None, limit: int = DEFAULT_LIMIT
) -> MatchReport:
    """Match a patient of the store, seen through `actor` (NotFound outside the actor's scope)."""
    with db.session() as s:
        profile = PatientRepository(s, actor).get(patient_id)
    return match_patient(trial_index(db), profile, day=day, limit=limit)


def match_profile(
    db: Database,
    profile: PatientProfile,
    *,
    day: date | None = None,
    limit: int = DEFAULT_LIMIT,
    text: str = "",
) -> MatchReport:
    return match_patient(trial_index(db), profile, day=day, limit=limit, extra_text=text)


# --- profile files ------------------------------------------------------------------------


def _date(value: Any, path: Path, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(
            f"{value!r} is not a date", file=str(path), field=name, fix="write YYYY-MM-DD"
        ) from None


def profile_from_json(data: Any, path: Path) -> PatientProfile:
    """A profile in the store's layout: patient fields plus `facts` as in docs/DEVELOPING.md."""
    if not isinstance(data, dict):
        raise InputError(
            "expected one JSON object (a patient profile)", file=str(path), fix="see docs/DEVELOPING.md"
        )
    facts = data.get("facts", [])
    if not isinstance(facts, list):
        raise InputError("must be a list of facts", file=str(path), field="facts", fix="write facts: [...]")
    parsed = []
    for i, raw in enumerate(facts):
        if not isinstance(raw, dict) or not raw.get("kind"):
            raise InputError(
                "a fact needs a 'kind'",
                file=str(path),
                record=f"facts[{i}]",
                field="kind",
                fix="see the fact contract in docs/DEVELOPING.md",
            )
        try:
            parsed.append(fact_from_json(raw))
        except (ValueError, TypeError) as exc:
            raise InputError(
                str(exc), file=str(path), record=f"facts[{i}]", fix="fix the fact's fields"
            ) from None
    home = data.get("home") or {}
    lat, lon = home.get("latitude", data.get("latitude")), home.get("longitude", data.get("longitude"))
    try:
        point = GeoPoint(float(lat), float(lon)) if lat is not None and lon is not None else None
        ecog = int(data["ecog"]) if data.get("ecog") is not None else None
        age = float(data["age_years"]) if data.get("age_years") is not None else None
    except (TypeError, ValueError) as exc:
        raise InputError(str(exc), file=str(path), field="home/ecog/age_years", fix="use numbers") from None
    return PatientProfile(
        id=str(data.get("id") or path.stem),
        centre_id=str(data.get("centre_id") or ""),
        sex=(str(data["sex"]).upper() if data.get("sex") else None),
        birth_date=_date(data.get("birth_date"), path, "birth_date"),
        age_years=age,
        primary_cancer=data.get("primary_cancer"),
        stage=data.get("stage"),
        ecog=ecog,
        home=point,
        home_city=str(data.get("home_city", "")),
        facts=parsed,
        display_name=str(data.get("display_name", "")),
    )


def note_profile_extractor() -> Any:
    """The profile engine's note extractor (`text -> PatientProfile`), when installed."""
    try:
        from oncofed.ingest.patients.notes import extract
    except ImportError:
        return None
    return lambda text, note_id: extract(text, note_id, "note")


def load_patient_file(path: Path) -> tuple[PatientProfile, str]:
    """A profile (.json) or a clinical note (any text): returns the profile and the note text."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path), fix="check the path") from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path), fix="save the file as UTF-8") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg}",
                file=str(path),
                record=f"line {exc.lineno}",
                fix="fix the JSON syntax",
            ) from None
        return profile_from_json(data, path), ""
    extractor = note_profile_extractor()
    if extractor is not None:
        profile = extractor(text, path.name)
        if isinstance(profile, PatientProfile):
            profile.id = profile.id or path.stem
            return profile, text
    # No extractor: the note is used for relevance only; every criterion stays unknown.
    return PatientProfile(id=path.stem, centre_id=""), text


# --- shapes for JSON and CSV --------------------------------------------------------------


def report_json(report: MatchReport) -> dict[str, Any]:
    from oncofed.matching.explain import report_to_dict

    return report_to_dict(report)
