"""The sixth class of `benchmarks/audit_relations.py` (verdicts30): a list under a qualifying head.

"Uncontrolled intercurrent illness including diabetes mellitus or hypertension", "Pathologie chronique mal
contrôlée, notamment diabète ou hypertension", or the head on its own line over item lines: an item is an
example of the qualified head, so a recorded controlled diabetes does not exclude, an uncontrolled one
does, a diabetes with no status cannot tell, and a patient without diabetes (nor hypertension) is not
excluded. Composed here from parts and judged from the clinical meaning of the words alone."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from benchmarks.audit_relations_wordings import Expected, Pt, Row, Rule

HEADS = {
    "en": ("Uncontrolled intercurrent illness", "Poorly controlled comorbid conditions",
           "Active or uncontrolled medical conditions", "Unstable chronic disease",
           "The patient has an inadequately controlled concurrent illness"),
    "fr": ("Maladie intercurrente non contrôlée", "Pathologie chronique mal contrôlée"),
}  # fmt: skip
INTRODUCERS = {
    "en": (" including {i}", ", including but not limited to {i}", " such as {i}", ", e.g. {i}",
           " (for example: {i})", ", in particular {i}", ": {i}"),
    "fr": (" notamment {i}", " telle que {i}", ", par exemple {i}", " : {i}"),
}  # fmt: skip
ITEMS = {
    "en": (
        "diabetes mellitus or hypertension",
        "hypertension, diabetes mellitus",
        "type 2 diabetes and hypertension",
    ),
    "fr": ("diabète ou hypertension artérielle", "hypertension artérielle, diabète"),
}
# the head on its own line over item lines (English: the wording registries export)
ON_LINES = ("The subject has uncontrolled intercurrent illness including, but not limited to:",
            "Poorly controlled chronic conditions of any of the following kinds:")  # fmt: skip
NO_HYPERTENSION = frozenset({"hypertension"})
DIABETIC = (
    Pt("controlled type 2 diabetes", present=frozenset({"diabetes:controlled"}), absent=NO_HYPERTENSION),
    Pt("uncontrolled diabetes", present=frozenset({"diabetes:uncontrolled"}), absent=NO_HYPERTENSION),
    Pt("diabetes, control not recorded", present=frozenset({"diabetes"}), absent=NO_HYPERTENSION),
    Pt("no diabetes, no hypertension", absent=frozenset({"diabetes", "hypertension"})),
)


def _qualified_item(p: Pt) -> Expected:
    if "diabetes:uncontrolled" in p.present:
        return "excluded"
    if "diabetes" in p.present:
        return None  # whether it is controlled is not recorded
    return "eligible"


RULE: Rule = _qualified_item


def head_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for head, intro, items in itertools.product(HEADS[lang], INTRODUCERS[lang], ITEMS[lang]):
            text = head + intro.format(i=items)
            yield "list under a qualifying head", lang, text, RULE, ("Exclusion",), DIABETIC
    for head, items in itertools.product(ON_LINES, ITEMS["en"]):
        lines = "\n".join(
            f"- {x.strip()}" for x in items.replace(" or ", ", ").replace(" and ", ", ").split(",")
        )
        yield "list under a qualifying head", "en", f"{head}\n{lines}", RULE, ("Exclusion",), DIABETIC
