"""The "Probably not — to check" tab in the order a research nurse should work it: the patients most likely
to be eligible after all first, from how often each kind of reading that held them back was right on
labelled trials (the trust table, `resources/verdicts/trusted_violations.json`, measured by
`benchmarks/verdicts_trust.py`; read only here, nothing is chosen by hand).

Kinds are keyed as the table keys them ("exclusion:lab/plain" when the table splits them,
`matching/trust.py` `SPLITS`); a key stored before the kinds were split ("exclusion:lab"), or under another
split, is read as its kind unsplit: the parts of the table summed (`Table.odds`).

Per kind of reading: `right` (the table's right readings plus, for the organ question, its right readings
on trials of another disease: the table's own precision counts them), `events` = right + wrong, and

- `estimate` = (right + 1) / (events + 2), the rule of succession (the mean of the precision under a
  uniform prior): a kind seen 1 time in 1 is not put past one seen 8 times in 8, and a kind never
  measured is exactly 0.5, the middle (said so on the row: "never measured");
- the Wilson 95 % interval of right / events, shown beside the counts (a kind with few events has a wide
  one; the point alone would say more than the counts do).

Per held-back criterion, the chance its reading is right: an inclusion is violated by any of its false
atoms, so it is right if one of its kinds is (1 - prod(1 - p)); an exclusion needs all of its atoms, so all
of its kinds must be right (prod p). Mostly a criterion has one kind and this is that kind's estimate.

Per patient, `wrong_chance` = the product over held criteria of (1 - chance right): the patient is
eligible after all only if every reading that held them back is wrong. Why the product and not the worst
criterion alone: two independent lines against a patient are more evidence than one, and the worst alone
would rank a patient held back by four doubtful lines beside one held back by one of them. Its limit: the
readings of one record are not independent (one misread note can fail two lines), so for patients held back
by several criteria the product understates their chance; it is an order to work in, not a calibrated
probability (the page never calls it a probability of eligibility).
Ties keep the list's own order (score, unknowns, patient id).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oncofed.matching import trust
from oncofed.services.prescreen.readings import split_kinds

Z95 = 1.959964  # two-sided 95 %: the table's own Wilson bounds use the same


def wilson(right: int, events: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of right / events (0, 1 when there is no event). Hand-written: four lines,
    and the same formula as benchmarks/verdicts_trust.py, whose lower bounds the table stores."""
    if events <= 0:
        return 0.0, 1.0
    p = right / events
    centre = p + z * z / (2 * events)
    spread = z * math.sqrt(p * (1 - p) / events + z * z / (4 * events * events))
    denom = 1 + z * z / events
    return max(0.0, (centre - spread) / denom), min(1.0, (centre + spread) / denom)


@dataclass(frozen=True)
class KindOdds:
    """How often one kind of reading was right on the labelled sets."""

    kind: str
    right: int
    events: int

    @property
    def measured(self) -> bool:
        return self.events > 0

    @property
    def precision(self) -> float | None:
        return self.right / self.events if self.events else None

    @property
    def estimate(self) -> float:
        return (self.right + 1) / (self.events + 2)

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.right, self.events)

    def as_json(self) -> dict[str, Any]:
        low, high = self.interval
        precision = self.precision
        return {
            "kind": self.kind,
            "origin": self.kind.split(":", 1)[0],
            "reading": trust.base(self.kind).split(":", 1)[-1],
            "part": trust.part_of(self.kind),
            "right": self.right,
            "events": self.events,
            "precision": None if precision is None else round(precision, 4),
            "low": round(low, 4) if self.measured else None,
            "high": round(high, 4) if self.measured else None,
        }


@dataclass(frozen=True)
class Table:
    """The trust table's counts per kind, and where they come from."""

    kinds: dict[str, KindOdds]
    sets: tuple[str, ...]
    day: str
    commit: str
    parts: tuple[str, ...] = ()  # the parts of the table's split of the kinds ("" parts: unsplit)
    bases: dict[str, KindOdds] = field(default_factory=dict)  # each kind unsplit: its parts summed

    def odds(self, kind: str) -> KindOdds:
        """A kind's counts: its own row; a kind of the table's split with no row is never measured; a key
        of another split, or one stored unsplit before the kinds were split, counts as its kind unsplit
        (the parts summed)."""
        hit = self.kinds.get(kind)
        if hit is not None:
            return hit
        if self.parts and trust.part_of(kind) in self.parts:
            return KindOdds(kind, 0, 0)
        whole = self.bases.get(trust.base(kind))
        return KindOdds(kind, whole.right, whole.events) if whole else KindOdds(kind, 0, 0)

    def source(self) -> dict[str, Any]:
        return {"sets": list(self.sets), "day": self.day, "commit": self.commit}


def table_from(data: dict[str, Any]) -> Table:
    kinds: dict[str, KindOdds] = {}
    bases: dict[str, KindOdds] = {}
    for kind, row in (data.get("kinds") or {}).items():
        right = int(row.get("right", 0)) + int(row.get("off_topic", 0))
        kinds[kind] = KindOdds(kind, right, right + int(row.get("wrong", 0)))
        was = bases.get(trust.base(kind)) or KindOdds(trust.base(kind), 0, 0)
        bases[was.kind] = KindOdds(was.kind, was.right + right, was.events + kinds[kind].events)
    parts = tuple(str(p) for p in data.get("split_parts") or ())
    return Table(kinds, tuple(data.get("sets", ())), str(data.get("day", "")), str(data.get("commit", "")),
                 parts, bases)  # fmt: skip


@functools.cache
def shipped_table() -> Table:
    return table_from(trust.load_table())


def criterion_chance(kinds: Sequence[str], table: Table) -> float:
    """The chance that one held-back criterion's reading is right (module doc)."""
    if not kinds:
        return table.odds("").estimate  # kinds not recorded: never measured, the middle
    ps = [table.odds(k).estimate for k in kinds]
    if all(k.startswith("exclusion:") for k in kinds):
        return math.prod(ps)
    return 1 - math.prod(1 - p for p in ps)


def wrong_chance(encoded: str | None, held_count: int, table: Table) -> float:
    """The chance that every held-back reading of one patient is wrong (`held_count`: the criteria stored
    as held back, code 4; a criterion whose kinds were not recorded counts as never measured)."""
    per = split_kinds(encoded)
    per += [()] * max(0, held_count - len(per))
    return math.prod(1 - criterion_chance(kinds, table) for kinds in per)


def held_back(encoded: str | None, held_labels: Sequence[Any], table: Table) -> list[dict[str, Any]]:
    """Per held-back criterion of one row: the criterion (as the caller words it), its kinds with their
    counts and interval, and the chance its reading is right."""
    return RowOdds(table).of(encoded, held_labels)[0]


class RowOdds:
    """`held_back` and `wrong_chance` for the rows of one list read, computed once per distinct (kinds,
    number held): a 17,000-row tab has a few dozen (the rows share the kinds' JSON; nobody mutates it)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._seen: dict[tuple[str, int], tuple[list[tuple[list[dict[str, Any]], float]], float]] = {}

    def of(self, encoded: str | None, held_labels: Sequence[Any]) -> tuple[list[dict[str, Any]], float]:
        key = (encoded or "", len(held_labels))
        hit = self._seen.get(key)
        if hit is None:
            per = split_kinds(encoded)
            per += [()] * max(0, len(held_labels) - len(per))
            hit = self._seen[key] = (
                [
                    (
                        [self.table.odds(k).as_json() for k in kinds],
                        round(criterion_chance(kinds, self.table), 4),
                    )
                    for kinds in per
                ],
                wrong_chance(encoded, len(held_labels), self.table),
            )
        criteria, wrong = hit
        rows = [
            {"criterion": label, "kinds": kinds, "chance_right": chance}
            for label, (kinds, chance) in zip(held_labels, criteria, strict=False)
        ]
        return rows, wrong


def place_key(encoded: str | None, held_count: int, table: Table) -> tuple[float, str, int]:
    """A "probably not" row's sort key: the most likely wrong first, then one fixed order of the kinds."""
    return (-wrong_chance(encoded, held_count, table), encoded or "", held_count)


def order_of(values: Iterable[tuple[str | None, int]], table: Table) -> dict[tuple[str | None, int], int]:
    """Distinct (held kinds, number held) of a list -> their place in the tab, most likely wrong first."""
    ranked = sorted(set(values), key=lambda v: place_key(v[0], v[1], table))
    return {v: k for k, v in enumerate(ranked)}
