"""A centre named the way people name it: "Gustave Roussy", "institut bergonie", "curie", "Dijon".

Case, accents, hyphens and punctuation are ignored; ids, names, short names, aliases and (when only
one centre stands there) the city are accepted. A name that matches nothing is an error listing the
nearest names (difflib: the standard library's fuzzy matcher, enough for twenty centres)."""

from __future__ import annotations

import difflib
import re
import unicodedata

from oncofed.domain import Centre
from oncofed.errors import N_, InputError
from oncofed.store.db import Database


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space: 'Centre Léon-Bérard' -> 'centre leon berard'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _names(centres: list[Centre]) -> dict[str, set[str]]:
    """Folded name -> centre ids carrying it (a city shared by two centres maps to both)."""
    out: dict[str, set[str]] = {}
    for c in centres:
        for name in (c.id, c.name, c.short_name, *c.aliases, c.city):
            if name:
                out.setdefault(fold(name), set()).add(c.id)
    return out


def find_centre(centres: list[Centre], text: str, *, field: str = "--centre") -> Centre:
    """The one centre `text` names, or an InputError naming the closest candidates."""
    by_id = {c.id: c for c in centres}
    if text in by_id:
        return by_id[text]
    names = _names(centres)
    key = fold(text)
    ids = names.get(key, set())
    if not ids and key:  # a unique name that contains the words typed ("roussy", "leon berard")
        containing = {
            cid for name, cids in names.items() if re.search(rf"\b{re.escape(key)}\b", name) for cid in cids
        }
        ids = containing if len(containing) == 1 else set()
    if len(ids) == 1:
        return by_id[next(iter(ids))]
    if len(ids) > 1:
        listed = ", ".join(f"{by_id[i].name} ({i})" for i in sorted(ids))
        raise InputError(
            N_("%(text)s names several centres: %(listed)s"),
            field=field,
            fix=N_("give the centre's id or full name"),
            code="centre.ambiguous",
            params={"text": repr(text), "listed": listed},
        )
    suggestions = _suggestions(key, names)
    fix = (
        N_("did you mean %(suggestions)s?")
        if suggestions
        else N_("list the centres with `oncofed centres` (ids, names and cities are accepted)")
    )
    raise InputError(
        N_("no centre named %(text)s"),
        field=field,
        fix=fix,
        code="centre.unknown",
        params={"text": repr(text), "suggestions": [f"{by_id[i].name!r} ({i})" for i in suggestions]},
    )


def _suggestions(key: str, names: dict[str, set[str]], *, most: int = 3) -> list[str]:
    """The centres `key` is probably a misspelling of, best first: the whole text against each name
    (difflib ratio >= 0.6), and each typed word against each distinctive word of a name ("roussi" ->
    "roussy", "institut curi" -> "curie"). Words carried by three centres or more ("institut", "centre",
    "cancerologie") tell nothing apart and are not compared; only centres scoring within 0.1 of the
    best are kept, so a near miss names one centre rather than every "Institut"."""
    scores: dict[str, float] = {}

    def note(cids: set[str], score: float) -> None:
        for cid in cids:
            scores[cid] = max(scores.get(cid, 0.0), score)

    for name, cids in names.items():
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if ratio >= 0.6:
            note(cids, ratio)
    words: dict[str, set[str]] = {}
    for name, cids in names.items():
        for word in name.split():
            if len(word) > 3:
                words.setdefault(word, set()).update(cids)
    for typed in key.split():
        if len(typed) <= 3:
            continue
        for word, cids in words.items():
            if len(cids) <= 2:
                ratio = difflib.SequenceMatcher(None, typed, word).ratio()
                if ratio >= 0.75:
                    note(cids, ratio)
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted((cid for cid, score in scores.items() if score >= best - 0.1), key=lambda c: -scores[c])
    return ranked[:most]


def resolve_centre(db: Database, text: str, *, field: str = "--centre") -> Centre:
    from oncofed.services.network.centres import stored_centres

    return find_centre(stored_centres(db), text, field=field)


def resolve_centre_id(db: Database, text: str | None, *, field: str = "--centre") -> str | None:
    """The id of the centre `text` names (None stays None)."""
    if text is None or text == "":
        return None
    return resolve_centre(db, text, field=field).id
