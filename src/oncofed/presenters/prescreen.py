"""JSON shapes of pre-screening (the recruitment chart is in `presenters/recruitment.py`)."""

from __future__ import annotations

from typing import Any

from oncofed.presenters.engine_words import READING_PARTS
from oncofed.presenters.i18n import N_, NN_, Translator, translator
from oncofed.services.prescreen import odds
from oncofed.services.prescreen.lists import Candidate, PrescreenList
from oncofed.services.prescreen.paging import words_text
from oncofed.services.prescreen.refresh import RefreshReport
from oncofed.services.prescreen.screening import LOG_COLUMNS

PRESCREEN_COLUMNS = [
    "rank",
    "patient_id",
    "eligibility",
    "score",
    "status",
    "is_new",
    "read_not_met",
    "held_back_by",
    "held_right",
    "held_precision",
    "held_interval",
    "wrong_chance",
    "to_check",
    "blocking",
    "reason",
    "note",
    "updated_by",
]


INDEX_COLUMNS = ["trial_id", "title", "centre_id", "centre", "last_computed_at", "candidates", "eligible",
                 "to_screen", "flagged", "unlikely", "blocked"]  # fmt: skip
NOTIFICATION_COLUMNS = ["id", "created_at", "trial_id", "centre_id", "count", "message", "read", "emailed"]
LOG_CSV_COLUMNS = ["record", "measure", "said", "value", *LOG_COLUMNS]


def candidate_json(c: Candidate, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "patient_id": c.patient_id,
        "display_name": c.display_name,
        "eligibility": c.eligibility,
        "score": c.score,
        "is_new": c.is_new,
        "read_not_met": c.read_not_met,
        "held_back": c.held_back,
        "wrong_chance": None if c.wrong_chance is None else round(c.wrong_chance, 4),
        "to_check": c.to_check,
        "blocking": c.blocking,
        "status": c.status,
        "version": c.version,
        "reason": c.reason,
        "note": c.note,
        "updated_by": c.updated_by,
        "updated_at": c.updated_at.isoformat(timespec="seconds") if c.updated_at else None,
    }


def refresh_json(r: RefreshReport | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "patients": r.patients,
        "evaluated": r.evaluated,
        "removed": r.removed,
        "new_candidates": r.new_candidates,
        "full": r.full,
        "milliseconds": round(r.seconds * 1000, 1),
    }


def list_json(result: PrescreenList) -> dict[str, Any]:
    """A computed list (`prescreen_list`): the trial, the centre, the counts, what the refresh did and
    every candidate ranked (the CLI's JSON)."""
    return {
        "trial_id": result.trial.id,
        "trial_title": result.trial.title,
        "centre_id": result.centre_id,
        "centre": result.centre_name,
        "last_visit_at": result.last_visit_at.isoformat(timespec="seconds") if result.last_visit_at else None,
        "computed_at": result.computed_at.isoformat(timespec="seconds") if result.computed_at else None,
        "stale": result.stale,
        "counts": result.counts,
        "refresh": refresh_json(result.refresh),
        "candidates": [candidate_json(c, i) for i, c in enumerate(result.candidates, start=1)],
        # what the "probably not" rows are ordered by (services/prescreen/odds.py)
        "reading_order": odds.shipped_table().source(),
    }


def _per_kind(held: list[dict[str, Any]], cell: Any) -> str:
    """One CSV cell over a row's held-back criteria: " | " between criteria, " + " between the kinds of one
    (the order of `read_not_met`)."""
    return " | ".join(" + ".join(cell(k) for k in h["kinds"]) or "?" for h in held)


def _share(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def held_csv_cells(held: list[dict[str, Any]], wrong_chance: float | None) -> dict[str, Any]:
    """A "probably not" row's reading odds as CSV cells: the kinds, right / events, precision, 95 % interval,
    and the chance that every held-back reading is wrong (what the tab is ordered by)."""
    return {
        "held_back_by": _per_kind(held, lambda k: k["kind"]),
        "held_right": _per_kind(held, lambda k: f"{k['right']}/{k['events']}"),
        "held_precision": _per_kind(held, lambda k: _share(k["precision"])),
        "held_interval": _per_kind(
            held, lambda k: f"{_share(k['low'])}-{_share(k['high'])}" if k["events"] else ""
        ),
        "wrong_chance": "" if wrong_chance is None else f"{wrong_chance:.4f}",
    }


def candidate_csv_rows(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list page's candidates with their criteria in words, one CSV cell each."""
    return [
        {
            **c,
            **held_csv_cells(c.get("held_back", []), c.get("wrong_chance")),
            "read_not_met": words_text(c.get("read_not_met", [])),
            "to_check": words_text(c["to_check"]),
            "blocking": words_text(c["blocking"]),
        }
        for c in candidates
    ]


def log_csv_rows(log: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """The screening log in one file: the CONSORT-style counts, the reasons for non-inclusion, then
    every event; `said` is each measure in the reader's words, as the page says it."""
    tr = translator(lang)
    rows: list[dict[str, Any]] = [
        {"record": "count", "measure": k, "said": tr.label("cs", k), "value": v}
        for k, v in log["counts"].items()
    ]
    rows += [
        {"record": "not_included", "measure": k, "said": _reason_said(lang, k), "value": v}
        for k, v in log["reasons_not_included"].items()
    ]
    rows += [{"record": "event", "said": e.get("change_said", ""), **e} for e in log["events"]]
    return rows


def log_said(log: dict[str, Any], lang: str = "en", patient: str = "") -> dict[str, Any]:
    """The log as the API and the page give it in `lang`: each event's change, reason and time in words
    (`change_said`, `reason_said`, `at_said`), the reasons for non-inclusion as a list with their words
    (`reasons`; `reasons_not_included` keeps its keys), and, with `patient`, that patient's events only
    (`patient`: the filter, `events_total`: the log's events before it)."""
    tr = translator(lang)
    out = dict(log)
    events = [e for e in log["events"] if not patient or e["patient_id"] == patient]
    out["events"] = [
        {
            **e,
            "change_said": f"{tr.label('st', e['from_status']) if e['from_status'] else '—'} → {tr.label('st', e['to_status'])}",
            "reason_said": tr.label("wd_reason", e["reason"]) if e.get("reason") else "",
            "at_said": tr.day(e["at"][:19], time=True) if e.get("at") else "",
        }
        for e in events
    ]  # fmt: skip
    out["events_total"], out["patient"] = len(log["events"]), patient
    out["reasons"] = [
        {"key": k, "count": v, "said": _reason_said(lang, k)} for k, v in log["reasons_not_included"].items()
    ]
    return out


def _reason_said(lang: str, key: str) -> str:
    """A reason for non-inclusion ("declined: travel_burden", or an engine's sentence) as the log page says it."""
    from oncofed.presenters.engine_text import say

    tr = translator(lang)
    if ": " in key:
        status, why = key.split(": ", 1)
        return f"{tr.label('st', status)}{tr.colon()}{say(lang, tr.label('wd_reason', why))}"
    return say(lang, key)


# --- the "Probably not" tab's order, said ----------------------------------------------------------

# the kinds of reading the atom labels do not name (presenters/labels.py "atom" names the others)
READING_WORDS = {
    "cancer_organ": N_("cancer in another organ than the line's"),
    "cancer_type_history": N_("history of a cancer"),
}
RIGHT_SO_OFTEN = NN_(
    "%(reading)s — this reading was right %(num)s time in %(events)s on labelled trials "
    "(95%% interval: %(low)s–%(high)s%%)",
    "%(reading)s — this reading was right %(num)s times in %(events)s on labelled trials "
    "(95%% interval: %(low)s–%(high)s%%)",
)


def reading_words(t: Translator, kind: dict[str, Any]) -> str:
    """ "disease setting (inclusion)", "lab, a plain reading (exclusion)": a kind of reading in the
    reader's language."""
    reading, origin, part = kind["reading"], kind["origin"], kind.get("part") or ""
    words = t.gettext(READING_WORDS[reading]) if reading in READING_WORDS else t.label("atom", reading)
    if part in READING_PARTS:  # a kind split by what the engine knows of the line: "ECOG, a plain reading"
        words = f"{words}, {t.gettext(READING_PARTS[part])}"
    return f"{words} ({t.label('wd_sec', origin)})"


def held_back_said(t: Translator, held: dict[str, Any]) -> str:
    """One held-back criterion's kinds and how often each was right: "held back by: disease setting
    (inclusion) — this reading was right 1 time in 11 on labelled trials (95% interval: 2–38%)"."""
    parts = []
    for k in held["kinds"]:
        if not k["events"]:
            parts.append(t.gettext("%(reading)s — never measured on labelled trials (placed in the middle)",
                                   reading=reading_words(t, k)))  # fmt: skip
            continue
        parts.append(
            t.ngettext(
                *RIGHT_SO_OFTEN,
                k["right"],
                reading=reading_words(t, k),
                num=t.number(k["right"]),
                events=t.number(k["events"]),
                low=t.number(k["low"] * 100, 0),
                high=t.number(k["high"] * 100, 0),
            )  # fmt: skip
        )
    if not parts:
        parts.append(t.gettext("a kind of reading not recorded — never measured on labelled trials"))
    return t.gettext("held back by") + t.colon() + " · ".join(parts)


def order_said(t: Translator, source: dict[str, Any]) -> str:
    """The tab's notice: how the order is computed and from what."""
    return t.gettext(
        "Ordered by the chance that the readings holding each patient back are wrong: for each kind of "
        "reading, how often it was right on %(sets)s labelled sets of trials (trust table of %(day)s, commit "
        "%(commit)s). The patients held back only by readings that are usually wrong come first; a kind "
        "never measured counts as even odds. Several readings against one patient multiply. This is an "
        "order to work in, not a probability of eligibility; the counts are small for most kinds (see the "
        "interval on each row).",
        sets=t.number(len(source.get("sets", []))),
        day=t.day(source.get("day")) if source.get("day") else "?",
        commit=source.get("commit") or "?",
    )


def with_odds_said(payload: dict[str, Any], t: Translator) -> dict[str, Any]:
    """A list page's payload with the order and each "probably not" row's odds said in the reader's
    language (`held_back_said` per row, `reading_order.said`): the page and the API say the same."""
    for row in payload["candidates"]:
        row["held_back_said"] = [held_back_said(t, h) for h in row.get("held_back", [])]
    payload["reading_order"] = {**payload["reading_order"], "said": order_said(t, payload["reading_order"])}
    return payload
