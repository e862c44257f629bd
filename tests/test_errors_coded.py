"""Every refusal the web app, the services and the commands raise for a person has a code (and English message ids),
so that `presenters/errors.said` says it in the reader's language: an `InputError`, `NotFound` or
`OncofedError` built from a plain English string (an f-string pasted into a French page) fails here,
naming the file and line. Settings errors (`ConfigError`, `StoreError`) are for the operator starting
the server, and one refusal is a bug report for developers (the evaluator's own count)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "oncofed"
CHECKED = ("web", "services", "commands", "ingest")
DEVELOPERS = (
    "commands/eval_",
    "ingest/beir_trec.py",
    "ingest/patients/notes/",
)  # the benchmark commands (eval-rank, eval-verdicts) and the BEIR / TREC files they read: for developers, in
# English; the notes reader is another area's (tests/test_notes*.py)
# the refusals a person reads, and the services' own kinds of them (a budget spent, a conflict, a YAML file)
FOR_A_PERSON = {
    "InputError", "OncofedError", "NotFound", "Forbidden", "BudgetExceeded", "LockedOut", "DecisionConflict",
    "ScreeningConflict", "YamlError",
}  # fmt: skip
ALLOWED = {
    ("services/prescreen/refresh.py", "the evaluator returned"),  # a bug of the engine, for developers
    ("ingest/jsonl.py", "{what} file"),  # JSON-lines corpora of the benchmarks (BEIR, verdict sets)
    ("ingest/jsonl.py", "missing field"),
    ("ingest/jsonl.py", "invalid JSON: {exc.msg}"),  # a developer's reader with its own fix
}


def _uncoded() -> list[str]:
    found = []
    for folder in CHECKED:
        for path in sorted((SRC / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in FOR_A_PERSON or any(k.arg == "code" for k in node.keywords):
                    continue
                if node.args and isinstance(node.args[0], ast.Name | ast.Attribute | ast.Subscript):
                    continue  # a message id chosen elsewhere (passed on with its code)
                where = str(path.relative_to(SRC))
                if where.startswith(DEVELOPERS):
                    continue
                text = ast.get_source_segment(path.read_text(encoding="utf-8"), node) or ""
                if not any(where == f and words in text for f, words in ALLOWED):
                    found.append(f"{where}:{node.lineno}: {text.splitlines()[0][:100]}")
    return found


def test_every_refusal_for_a_person_has_a_code() -> None:
    left = _uncoded()
    assert not left, (
        "refusals without a code (English pasted into every language): raise them with N_() message ids, "
        "code= and params= (docs/DEVELOPING.md, Translations):\n" + "\n".join(left)
    )


def test_the_command_line_says_a_refusal_in_its_language(tmp_path: Path) -> None:
    from tests.test_polish_cli import oncofed

    fr = oncofed(["--lang", "fr", "match", "personne", "--day", "hier"], tmp_path)
    assert fr.returncode == 2
    assert "erreur\u00a0: --day\u00a0: 'hier' n'est pas une date — écrivez AAAA-MM-JJ" in fr.stderr, fr.stderr
    en = oncofed(["match", "personne", "--day", "hier"], tmp_path)
    assert "error: --day: 'hier' is not a date — write YYYY-MM-DD" in en.stderr, en.stderr


def test_who_may_not_is_told_in_their_language(db, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.domain import Actor, Role

    fr = {"Accept-Language": "fr"}
    anonymous = client_as(db, Actor.public()).get("/api/audit/verify", headers=fr)
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.json()["code"] == "auth.sign_in"
    assert anonymous.json()["detail"] == "connectez-vous d'abord" and "/login" in anonymous.json()["fix"]
    clinician = Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")
    other = client_as(db, clinician).get("/api/audit/verify", headers=fr)
    assert other.status_code == 403 and other.json()["code"] == "auth.role"
    assert (
        other.json()["detail"].startswith("non accessible au rôle ")
        and "clinician" not in other.json()["detail"]
    )
    english = client_as(db, clinician).get("/api/audit/verify").json()
    assert english["detail"].startswith("not available to the ") and english["detail"].endswith(" role")
