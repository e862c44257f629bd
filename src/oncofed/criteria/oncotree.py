"""OncoTree, read once: codes, names, parents, synonyms; lineage and subtrees; MatchMiner's name mapping.

The one reader of the project's OncoTree files (each states its source at the top):

- `resources/vocab/oncotree.tsv`, the *shared* tree (tissue -> main type -> subtype, with the
  synonyms trial text uses): what the criteria parser finds, the matcher compares and patient facts
  are coded with;
- `resources/patients/oncotree_extra.tsv`, codes found in records that the shared tree lacks (name,
  parent, aliases): importers store the nearest shared ancestor and keep the specific code aside.

Everyone imports from here: the criteria vocabulary (`criteria.vocab` re-exports the shared-tree
functions it always had), the matcher's lineage (`matching.vocab`), the CTML matcher's subtree names,
and the patient importers. MatchMiner's `ref/oncotree_mapping.json` layout (a node's *name* -> the
names of its whole subtree, plus `_SOLID_` and `_LIQUID_`) is built from these files by
`ctml_subtrees()`; a user's own mapping file (read by `oncofed.ingest.ctml_files`) is checked by
`subtrees_from_mapping()`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from oncofed.errors import InputError
from oncofed.resources import load_tsv

SHARED_FILE = "vocab/oncotree.tsv"
EXTRA_FILE = "patients/oncotree_extra.tsv"
ROOT = "TISSUE"
LIQUID_MAIN_TYPES = ("LYMPH", "MYELOID")  # MatchMiner's _LIQUID_: the lymphoid and myeloid subtrees


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    parent: str  # "" for the root
    synonyms: tuple[str, ...]  # lower case (shared tree: trial-text spellings; extra: record aliases)
    shared: bool  # in the shared tree (else only in the extra list)


@functools.cache
def shared_rows() -> dict[str, dict[str, str]]:
    """code -> row of the shared tree file, as written (the criteria parser indexes its synonyms)."""
    return {row["code"]: row for row in load_tsv(SHARED_FILE)}


@functools.cache
def nodes() -> dict[str, Node]:
    """Every known code: the shared tree first, then the extra codes it lacks."""
    out: dict[str, Node] = {}
    for code, row in shared_rows().items():
        out[code] = Node(
            code, row["name"], (row.get("parent") or "").strip(), _split(row.get("synonyms")), True
        )
    for row in load_tsv(EXTRA_FILE):
        code = row["code"].strip()
        if code and code not in out:
            aliases = _split(row.get("aliases"))
            out[code] = Node(code, row["name"], (row.get("parent") or "").strip(), aliases, False)
    return out


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in (value or "").split("|") if v.strip())


# --- the shared tree (what criteria, facts and the matcher use) ------------------------------------


def shared_codes() -> list[str]:
    """Codes of the shared tree, without its root."""
    return [c for c in shared_rows() if c != ROOT]


def shared_name(code: str) -> str | None:
    row = shared_rows().get(code)
    return row["name"] if row else None


def shared_parent(code: str) -> str | None:
    """Parent in the shared tree; the root is nobody's parent here (a main type has none)."""
    row = shared_rows().get(code)
    parent = row["parent"] if row else None
    return parent if parent and parent != ROOT else None


@functools.cache
def parents() -> dict[str, str]:
    """code -> parent code over the shared tree, upper case, root included (the matcher's lineage)."""
    out: dict[str, str] = {}
    for row in shared_rows().values():
        code = (row.get("code") or "").strip().upper()
        if code and code not in out:
            out[code] = (row.get("parent") or "").strip().upper()
    return out


@functools.cache
def lineage(code: str) -> tuple[str, ...]:
    """The code and its ancestors in the shared tree, nearest first (just the code when unknown)."""
    up = parents()
    out = [code.upper()]
    seen = {out[0]}
    while (parent := up.get(out[-1])) and parent not in seen:
        out.append(parent)
        seen.add(parent)
    return tuple(out)


# --- the full tree (shared + extra): names of records, MatchMiner's subtrees ----------------------


def name(code: str) -> str | None:
    """Name of any known code (shared tree first, then the extra list)."""
    node = nodes().get(code)
    return node.name if node else None


@functools.cache
def children() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for node in nodes().values():
        if node.parent:
            out.setdefault(node.parent, []).append(node.code)
    return {k: tuple(v) for k, v in out.items()}


def subtree(code: str) -> list[str]:
    """The code and every code below it (full tree), depth first."""
    out, stack, seen = [], [code], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        out.append(current)
        stack.extend(reversed(children().get(current, ())))
    return out


@functools.cache
def code_by_name() -> dict[str, str]:
    """Lower-case OncoTree name or record alias -> code (full tree; first one wins)."""
    out: dict[str, str] = {}
    for node in nodes().values():
        out.setdefault(node.name.lower(), node.code)
    for node in nodes().values():
        if not node.shared:
            for alias in node.synonyms:
                out.setdefault(alias, node.code)
    return out


@functools.cache
def ctml_subtrees() -> dict[str, list[str]]:
    """MatchMiner's mapping layout from the project's files: OncoTree name -> sorted names of the
    node and its whole subtree; `_LIQUID_` = the lymphoid and myeloid subtrees, `_SOLID_` = the rest."""
    all_nodes = nodes()
    mapping = {
        n.name: sorted({all_nodes[c].name for c in subtree(n.code)})
        for n in all_nodes.values()
        if n.code != ROOT
    }
    liquid = {c for main in LIQUID_MAIN_TYPES if main in all_nodes for c in subtree(main)}
    mapping["_LIQUID_"] = sorted({all_nodes[c].name for c in liquid})
    mapping["_SOLID_"] = sorted(
        {n.name for n in all_nodes.values() if n.code not in liquid and n.code != ROOT}
    )
    return mapping


def subtrees_from_mapping(raw: Any, source: str = "<oncotree mapping>") -> dict[str, list[str]]:
    """A MatchMiner `oncotree_mapping.json` document (name -> name or list of names), checked."""
    if not isinstance(raw, Mapping):
        raise InputError(
            "expected an object: OncoTree name -> names of its subtree",
            file=source,
            fix="see ref/oncotree_mapping.json",
        )
    out: dict[str, list[str]] = {}
    for key, value in raw.items():
        names = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in names):
            raise InputError("expected a name or a list of names", file=source, field=str(key))
        out[str(key)] = sorted(names)
    return out
