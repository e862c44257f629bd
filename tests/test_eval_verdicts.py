"""`oncofed eval verdicts`: one JSON line per pair, bad input as lines or clear errors, a summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from oncofed.cli import app
from oncofed.matching import trust

TRIAL = {
    "_id": "NCT-A",
    "title": "A lung cancer trial",
    "text": "",
    "metadata": {
        "inclusion_criteria": "Inclusion Criteria:\n\n- Non-small cell lung cancer\n- ECOG performance status 0 or 1",
        "exclusion_criteria": "Exclusion Criteria:\n\n- Known HIV infection\n- Pregnant or breastfeeding women",
    },
}
IN_TEXT = {  # criteria only in `text`, as some TrialGPT corpora write them
    "_id": "NCT-T",
    "title": "Criteria in the text",
    "text": "Summary: x\nInclusion criteria: Adults with breast cancer\nExclusion criteria: Known HIV infection",
}
EMPTY = {"_id": "NCT-E", "title": "No criteria", "text": "A study.", "metadata": {}}
NOTES = {
    "fit": "62 y/o man with stage IV lung adenocarcinoma (NSCLC). ECOG 1. No HIV infection.",
    "hiv": "62 y/o man with stage IV lung adenocarcinoma (NSCLC). ECOG 1. Known HIV infection on ART.",
    "empty": "   ",
}


def _files(tmp: Path, pairs: str) -> list[str]:
    (tmp / "q.jsonl").write_text("".join(json.dumps({"_id": k, "text": v}) + "\n" for k, v in NOTES.items()))
    (tmp / "c.jsonl").write_text("".join(json.dumps(d) + "\n" for d in (TRIAL, IN_TEXT, EMPTY)))
    (tmp / "p.tsv").write_text("query-id\tcorpus-id\tscore\n" + pairs)
    return [
        "eval", "verdicts", "--queries", str(tmp / "q.jsonl"), "--corpus", str(tmp / "c.jsonl"),
        "--pairs", str(tmp / "p.tsv"), "--out", str(tmp / "out.jsonl"), "--day", "2026-11-01",
    ]  # fmt: skip


def _lines(tmp: Path) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    rows = [json.loads(x) for x in (tmp / "out.jsonl").read_text().splitlines()]
    return {(r["query-id"], r["corpus-id"]): r for r in rows}


PAIRS = "fit\tNCT-A\t2\nhiv\tNCT-A\t1\nfit\tNCT-T\t0\nfit\tNCT-E\t0\nfit\tNCT-404\t0\nghost\tNCT-A\t0\nempty\tNCT-A\t0\n"


def test_one_line_per_pair_with_verdict_score_and_plain_criteria(tmp_path: Path) -> None:
    # --strict: every criterion read as not met excludes (the decision policy: the next test)
    result = CliRunner().invoke(app, [*_files(tmp_path, PAIRS), "--json", "--strict"])
    assert result.exit_code == 0, result.output
    lines = _lines(tmp_path)
    assert len(lines) == 7
    for line in lines.values():
        assert set(line) >= {"query-id", "corpus-id", "verdict", "score", "criteria"}
        assert isinstance(line["score"], float)
    hiv = lines[("hiv", "NCT-A")]
    assert hiv["verdict"] == "excluded"
    violated = [c for c in hiv["criteria"] if c["outcome"] == "violated"]
    assert [c["section"] for c in violated] == ["exclusion"] and "HIV" in violated[0]["text"]
    assert violated[0]["evidence"] and "not (" not in violated[0]["evidence"]
    fit = lines[("fit", "NCT-A")]
    assert fit["verdict"] != "excluded"
    assert fit["score"] > hiv["score"]  # higher = more likely eligible, comparable for one patient
    # a male patient: the pregnancy exclusion does not apply to him
    preg = next(c for c in fit["criteria"] if "Pregnant" in c["text"])
    assert preg["outcome"] in ("satisfied", "not_applicable")
    # criteria found in `text`; a trial without criteria, unknown ids, an empty note: reasons, no crash
    assert lines[("fit", "NCT-T")]["criteria"]
    assert lines[("fit", "NCT-E")]["verdict"] == "not_evaluated" and lines[("fit", "NCT-E")]["reason"]
    for key in (("fit", "NCT-404"), ("ghost", "NCT-A"), ("empty", "NCT-A")):
        assert lines[key]["verdict"] == "not_evaluated" and lines[key]["reason"], key
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["eligible_pairs"] == 1 and summary["excluded_pairs"] == 1
    assert summary["excluded_caught"] == 1 and summary["eligible_not_excluded"] == 1


def test_by_default_only_trusted_kinds_of_reading_exclude(tmp_path: Path) -> None:
    """The HIV exclusion is read as applying in both runs; without --strict it excludes only if its kind
    of reading (exclusion:infection) is in the shipped table, else it is "unknown", held back, to check."""
    result = CliRunner().invoke(app, [*_files(tmp_path, PAIRS), "--json"])
    assert result.exit_code == 0, result.output
    hiv = _lines(tmp_path)[("hiv", "NCT-A")]
    line = next(c for c in hiv["criteria"] if "HIV" in c["text"] and c["section"] == "exclusion")
    assert [trust.base(k) for k in line["reading"]] == ["exclusion:infection"]  # its split part aside
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["policy"] == "trusted kinds"
    if all(trust.trusted(trust.shipped(), k) for k in line["reading"]):
        assert hiv["verdict"] == "excluded" and line["outcome"] == "violated" and "held_back" not in line
    else:
        assert hiv["verdict"] == "unknown" and line["outcome"] == "unknown" and line["held_back"] is True
        assert line["evidence"].startswith("Read as applying: ") and "HIV" in line["evidence"]
        assert (
            line["evidence"].endswith("on its own: check it.") and "This kind of reading" in line["evidence"]
        )
        assert summary["excluded_caught"] == 0 and summary["eligible_not_excluded"] == 1
        # held back, not unknown: the patient is "probably not — check", out of pre-screening's default tab
        assert hiv["probably_not"] is True and "probably_not" not in _lines(tmp_path)[("fit", "NCT-A")]
        assert summary["excluded_apart"] == 1 and summary["eligible_probably_not"] == 0


def test_malformed_files_name_the_line_and_exit_non_zero(tmp_path: Path) -> None:
    args = _files(tmp_path, "fit\tNCT-A\t2\n")
    (tmp_path / "q.jsonl").write_text('{"_id": "fit", "text": "x"}\n{not json\n')
    # the installed entry point: one clear line on stderr, exit code 2, no traceback
    run = subprocess.run(
        [sys.executable, "-c", "from oncofed.cli import main; main()", *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "q.jsonl:line 2" in run.stderr and "Traceback" not in run.stderr
    _files(tmp_path, "fit\tNCT-A\n")  # two columns
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0 and "p.tsv:line 2" in str(result.exception)
