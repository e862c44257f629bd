"""The per-mention classes that write their own `__init__` (speed31: mypyc compiles it to set the fields
directly; a frozen dataclass's generated `__init__` stays Python) must keep it in step with their fields:
a field added to the class but not to its `__init__` would be silently left at the class default (or
missing), and a parameter in another order would swap two fields given by position (`frozen.made`).

Read from the sources (`ast`), so the check holds whether the readers run compiled or pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "oncofed"


def _written(path: Path) -> list[tuple[str, ast.ClassDef, ast.FunctionDef]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        is_dataclass = any(
            (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass")
            or getattr(d, "id", "") == "dataclass"
            for d in node.decorator_list
        )
        init = next((b for b in node.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
        if is_dataclass and init is not None:
            out.append((node.name, node, init))
    return out


CLASSES = [(p, name, cls, init) for p in sorted(SRC.rglob("*.py")) for name, cls, init in _written(p)]


def test_the_written_inits_are_found() -> None:
    names = {name for _, name, _, _ in CLASSES}
    assert {"Mention", "Target", "DateMention", "Given", "LineLanguage"} <= names


@pytest.mark.parametrize(("path", "name", "cls", "init"), CLASSES, ids=[c[1] for c in CLASSES])
def test_a_written_init_takes_every_field_in_order_with_its_default(
    path: Path, name: str, cls: ast.ClassDef, init: ast.FunctionDef
) -> None:
    fields = [
        (b.target.id, ast.unparse(b.value) if b.value is not None else None)
        for b in cls.body
        if isinstance(b, ast.AnnAssign)
        and isinstance(b.target, ast.Name)
        and "ClassVar" not in ast.unparse(b.annotation)
    ]
    # a `field(default_factory=...)` is taken as `None` and made in the `__init__` (a fresh one each time)
    fields = [(f, "None" if d is not None and "default_factory" in d else d) for f, d in fields]
    args = init.args.args[1:]
    defaults = [None] * (len(args) - len(init.args.defaults)) + [ast.unparse(d) for d in init.args.defaults]
    params = [(a.arg, d) for a, d in zip(args, defaults, strict=True)]
    assert params == fields, f"{path.name}: {name}.__init__ does not take the class's fields in order"
    assigned = {
        t.attr
        for st in ast.walk(init)
        if isinstance(st, ast.Assign)
        for t in st.targets
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
    }
    assert assigned == {f for f, _ in fields}, f"{path.name}: {name}.__init__ does not set every field"
