"""The one loader of user-supplied YAML: `yaml.safe_load` with a size limit and alias bombs refused.

`yaml.safe_load` builds no objects from tags, but it follows anchors and aliases: a file of a few
hundred bytes ("billion laughs": each level an anchored list of aliases of the level before) loads
quickly into shared references and then explodes in whatever walks it (a JSON dump, a deep copy, a
matcher expanding match trees), and a recursive alias (`&a [*a]`) makes a cyclic value. Here the
document's node graph is measured *before* any Python object is built: its size with every alias
expanded must stay under `MAX_NODES`, and an alias inside itself is refused.

Every reader of a user's YAML file uses this module (CTML trial files, the CTML matcher's files,
feasibility criteria, site alias files); the files shipped in `oncofed/resources/` keep plain
`yaml.safe_load` (`oncofed.resources.load_yaml`). Hand-written because no maintained YAML library
for Python limits alias expansion (PyYAML, ruamel.yaml and libyaml have no such option); it uses
PyYAML's own composer and constructor, only the check is ours.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from oncofed.errors import N_, NN_, InputError, part

MAX_CHARS = 64 * 1024 * 1024  # a YAML document is loaded whole: larger files are refused
MAX_NODES = 500_000  # nodes of a document once every alias is expanded
FIX = N_("write the content out without YAML anchors/aliases (&name / *name), or split the file")


class YamlError(InputError):
    """A YAML text that is invalid, too large, or expands too far: names the file and the fix."""


def load(text: str, *, source: str = "<yaml>", max_nodes: int = MAX_NODES, max_chars: int = MAX_CHARS) -> Any:
    """The one document of `text` (None when empty), checked as the module says."""
    docs = load_all(text, source=source, max_nodes=max_nodes, max_chars=max_chars)
    if len(docs) > 1:
        raise YamlError(
            N_("%(num)s YAML documents where one is expected"), file=source, fix=N_("keep one document (no ---)"),
            code="import.yaml_documents", params={"num": len(docs)},
        )  # fmt: skip
    return docs[0] if docs else None


def load_all(
    text: str, *, source: str = "<yaml>", max_nodes: int = MAX_NODES, max_chars: int = MAX_CHARS
) -> list[Any]:
    """Every document of `text` (empty documents included as None), checked as the module says."""
    if len(text) > max_chars:
        raise YamlError(
            NN_(
                "%(num)s character is more than the %(limit)s a YAML document may have",
                "%(num)s characters is more than the %(limit)s a YAML document may have",
            ),
            file=source,
            fix=N_("split the file into smaller ones"), code="import.yaml_size",
            params={"num": len(text), "limit": max_chars},
        )  # fmt: skip
    docs: list[Any] = []
    loader: _GuardedLoader | None = None
    try:
        loader = _GuardedLoader(text)  # the reader already refuses control characters
        loader.max_nodes = max_nodes
        while loader.check_data():
            docs.append(loader.get_data())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = (
            exc.problem or exc.context or part(N_("invalid YAML"))
        )  # PyYAML's English: said by presenters/library_words
        if mark:
            raise YamlError(
                N_("not valid YAML: %(problem)s (line %(line)s, column %(column)s)"), file=source,
                fix=N_("check the indentation and quotes"), code="import.yaml_invalid",
                params={"problem": problem, "line": mark.line + 1, "column": mark.column + 1},
            ) from None  # fmt: skip
        raise YamlError(
            N_("not valid YAML: %(problem)s"), file=source, fix=N_("check the indentation and quotes"),
            code="import.yaml_invalid", params={"problem": problem},
        ) from None  # fmt: skip
    except yaml.YAMLError as exc:
        raise YamlError(
            N_("not valid YAML: %(problem)s"), file=source, fix=N_("check the indentation and quotes"),
            code="import.yaml_invalid", params={"problem": str(exc)},
        ) from None  # fmt: skip
    except _Refused as exc:
        raise YamlError(exc.args[0], file=source, fix=FIX, code=exc.code, params=exc.params) from None
    except RecursionError:
        raise YamlError(
            N_("YAML nested too deeply"),
            file=source,
            fix=N_("flatten the document"),
            code="import.yaml_depth",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return docs


class _Refused(Exception):
    """An alias that expands too far, as a coded message (`N_` id, code, parameters)."""

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code, self.params = code, params


class _GuardedLoader(yaml.SafeLoader):
    max_nodes = MAX_NODES

    def construct_document(self, node: Node) -> Any:
        expanded_size(node, self.max_nodes)
        return super().construct_document(node)


def expanded_size(root: Node, limit: int) -> int:
    """Nodes of `root` with every alias expanded (an alias is the anchored node again); raises when
    more than `limit` or when a node contains itself. Shared nodes are measured once (memo)."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            raise _Refused(
                N_("an alias refers to a node that contains it (recursive YAML alias); refused"),
                "import.yaml_recursive",
            )
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        active.discard(key)
        if total > limit:
            raise _Refused(
                N_("more than %(limit)s values once YAML aliases are expanded (an alias bomb?); refused"),
                "import.yaml_aliases",
                limit=limit,
            )
        memo[key] = total
        return total

    return size(root)
