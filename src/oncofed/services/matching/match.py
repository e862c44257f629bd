"""Match a patient to open trials: from the store (actor-scoped) or from a profile/note file.

The CLI (`oncofed match`) and the web (`/api/patients/{id}/matches`, `/patients/{id}/matches`)
both call these functions. The trial index (criteria parsed once) is cached per database and
rebuilt when the trials change.
"""

from __future__ import annotations

import gc
import math
import threading
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from oncofed.criteria.parser import PARSER_VERSION
from oncofed.domain import Actor, GeoPoint, PatientProfile, TrialStatus, nearest_recruiting_site
from oncofed.errors import N_, InputError, unreadable
from oncofed.ingest import jsonl
from oncofed.ingest.errors import json_kind
from oncofed.matching.pipeline import DEFAULT_LIMIT, MatchReport, match_patient
from oncofed.matching.retrieve import TrialIndex, patient_text
from oncofed.services.matching.dense import prepare_dense, prepare_patient_texts, rerank_enabled
from oncofed.services.trials.criteria import criteria_by_trial
from oncofed.services.trials.index import get_index, registry_key
from oncofed.store.db import Database
from oncofed.store.mapping import fact_from_json
from oncofed.store.models import CentreRow
from oncofed.store.repositories import PatientRepository, TrialRepository

_CACHE: dict[str, tuple[tuple[Any, ...], TrialIndex]] = {}
_LOCK = threading.Lock()


def trial_index(db: Database, session: Session | None = None) -> TrialIndex:
    """The open-trial index of `db`, rebuilt only when the registry changed (`registry_key`, the one
    staleness key of the trial indexes, read in `session` when the caller holds one), the parser's
    version or the dense layer's switch. Its text is scored by the search index of the same registry
    version (one tokeniser, one BM25). A rebuild (after an import) reads in units of work of its own."""
    signature = (registry_key(db, session), PARSER_VERSION, rerank_enabled())
    key = str(db.engine.url)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached and cached[0] == signature:
            return cached[1]
        search = get_index(db)
        position = {tid: i for i, tid in enumerate(search.ids)}
        with db.session() as s:
            trials = TrialRepository(s).list(status=TrialStatus.RECRUITING.value)
        criteria = criteria_by_trial(trials, db)
        index = TrialIndex(
            trials, criteria_of=lambda t: criteria[t.id], text=search.text,
            text_positions=lambda t: position[t.id], dense=signature[2],
        )  # fmt: skip
        prepare_dense(index, db)
        _CACHE[key] = (signature, index)
        # The index is long-lived and large (every criterion atom of every open trial): move it
        # out of the cyclic GC's generations so full collections do not walk it on each request.
        gc.collect()
        gc.freeze()
        return index


def match_stored_patient(
    db: Database,
    actor: Actor,
    patient_id: str,
    *,
    day: date | None = None,
    limit: int = DEFAULT_LIMIT,
    session: Session | None = None,
    focus: str = "",
) -> MatchReport:
    """Match a patient of the store, seen through `actor` (NotFound outside the actor's scope); read
    in `session` when the caller holds one (the match page: one unit of work per request)."""
    index = trial_index(db, session)
    with db.session_or(session) as s:
        profile = PatientRepository(s, actor).get(patient_id)
        centre = s.get(CentreRow, profile.centre_id) if profile.home is None else None
        # the record's text vectors: stored with the patient, encoded once per version of the text
        prepare_patient_texts(s, index, [(profile.id, patient_text(profile, day or date.today()))])
    report = match_patient(index, profile, day=day, limit=limit, focus=focus)
    if centre is not None:  # no address known: distances from the patient's treating centre (issue 18)
        origin = GeoPoint(centre.latitude, centre.longitude)
        for r in report.results:
            nearest = nearest_recruiting_site(r.trial, origin)
            if nearest is not None:
                r.match.nearest_site, r.match.distance_km = nearest
    return report


def prepare_stored_profiles(
    db: Database, session: Session, profiles: list[PatientProfile], day: date
) -> None:
    """Encode the texts of stored patients about to be matched for `day` in one batch (a board's
    agenda), reusing the vectors stored with each patient; `profiles` were read through the actor-
    scoped repository (or a referral's card) in `session`, the caller's unit of work."""
    if profiles:
        index = trial_index(db)
        prepare_patient_texts(session, index, [(p.id, patient_text(p, day)) for p in profiles])


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
            N_("%(value)s is not a date"),
            file=str(path),
            field=name,
            fix=N_("write YYYY-MM-DD"),
            code="profile.not_a_date",
            params={"value": repr(value)},
        ) from None


def _text(data: dict[str, Any], name: str, path: Path) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InputError(
            N_("expected text, got %(type)s"),
            file=str(path),
            field=name,
            fix=N_("write %(name)s as a string"),
            code="profile.not_text",
            params={"type": json_kind(value), "name": name},
        )
    return str(value)


def _number(data: dict[str, Any], name: str, path: Path) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
        if not math.isfinite(number):
            raise ValueError
        return number
    except (TypeError, ValueError):
        raise InputError(
            N_("%(value)s is not a number"),
            file=str(path),
            field=name,
            fix=N_("write a number"),
            code="profile.not_a_number",
            params={"value": repr(value)},
        ) from None


def profile_from_json(data: Any, path: Path) -> PatientProfile:
    """A profile in the store's layout: patient fields plus `facts` as in docs/DEVELOPING.md."""
    if not isinstance(data, dict):
        raise InputError(
            N_("expected one JSON object (a patient profile)"),
            file=str(path),
            fix=N_("see docs/DEVELOPING.md"),
            code="profile.not_object",
        )
    facts = data.get("facts") or []
    if not isinstance(facts, list):
        raise InputError(
            N_("must be a list of facts"),
            file=str(path),
            field="facts",
            fix=N_("write facts: [...]"),
            code="profile.facts_not_list",
        )
    parsed = []
    for i, raw in enumerate(facts):
        if not isinstance(raw, dict) or not raw.get("kind") or not isinstance(raw.get("kind"), str):
            raise InputError(
                N_("a fact needs a 'kind'"),
                file=str(path),
                record=f"facts[{i}]",
                field="kind",
                fix=N_("see the fact contract in docs/DEVELOPING.md"),
                code="profile.fact_kind",
            )
        try:
            parsed.append(fact_from_json(raw))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            raise InputError(
                N_("unreadable fact (%(detail)s)"),
                file=str(path),
                record=f"facts[{i}]",
                fix=N_("fix the fact's fields (see docs/DEVELOPING.md)"),
                code="profile.fact_unreadable",
                params={"detail": str(exc)},
            ) from None
    home = data.get("home") or {}
    if not isinstance(home, dict):
        raise InputError(
            N_("expected {latitude, longitude}"),
            file=str(path),
            field="home",
            fix=N_("write home as an object"),
            code="profile.home_not_object",
        )
    lat = _number(home, "latitude", path) if "latitude" in home else _number(data, "latitude", path)
    lon = _number(home, "longitude", path) if "longitude" in home else _number(data, "longitude", path)
    try:
        point = GeoPoint(lat, lon) if lat is not None and lon is not None else None
    except ValueError as exc:
        raise InputError(
            N_("home is not a place: %(detail)s"),
            file=str(path),
            field="home",
            fix=N_("use decimal degrees"),
            code="profile.home_invalid",
            params={"detail": str(exc)},
        ) from None
    ecog = _number(data, "ecog", path)
    sex = _text(data, "sex", path)
    return PatientProfile(
        id=_text(data, "id", path) or path.stem,
        centre_id=_text(data, "centre_id", path) or "",
        sex=sex.upper() if sex else None,
        birth_date=_date(data.get("birth_date"), path, "birth_date"),
        age_years=_number(data, "age_years", path),
        primary_cancer=_text(data, "primary_cancer", path),
        stage=_text(data, "stage", path),
        ecog=int(ecog) if ecog is not None else None,
        home=point,
        home_city=_text(data, "home_city", path) or "",
        facts=parsed,
        display_name=_text(data, "display_name", path) or "",
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
        raise unreadable(path, exc) from None
    except UnicodeDecodeError:
        raise InputError(
            N_("not UTF-8 text"), file=str(path), fix=N_("save the file as UTF-8"), code="file.not_utf8"
        ) from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        return profile_from_json(jsonl.parse_document(text, str(path)), path), ""
    extractor = note_profile_extractor()
    if extractor is not None:
        profile = extractor(text, path.name)
        if isinstance(profile, PatientProfile):
            profile.id = profile.id or path.stem
            return profile, text
    # No extractor: the note is used for relevance only; every criterion stays unknown.
    return PatientProfile(id=path.stem, centre_id=""), text
