"""`oncofed eval parallel` (issue 23): an English note set and its French twin, verdicts side by side."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oncofed.cli import app
from oncofed.matching import trust

TRIAL = {
    "_id": "NCT0000FR1",
    "title": "Trial for metastatic breast cancer",
    "text": "",
    "metadata": {
        "inclusion_criteria": "Metastatic breast cancer\nECOG performance status 0 or 1",
        "exclusion_criteria": "Active brain metastases\nHIV infection",
    },
}


def _set(folder: Path, prefix: str, notes: dict[str, str]) -> None:
    folder.mkdir()
    (folder / "queries.jsonl").write_text(
        "".join(
            json.dumps({"_id": prefix + k, "text": v}, ensure_ascii=False) + "\n" for k, v in notes.items()
        ),
        encoding="utf-8",
    )
    (folder / "pairs.tsv").write_text(
        "query-id\tcorpus-id\tscore\n"
        + "".join(f"{prefix}{k}\tNCT0000FR1\t{2 if k == 'E' else 1}\n" for k in notes),
        encoding="utf-8",
    )


def test_parallel_sets_get_the_same_verdicts(tmp_path: Path) -> None:
    (tmp_path / "corpus.jsonl").write_text(json.dumps(TRIAL) + "\n", encoding="utf-8")
    _set(tmp_path / "en", "", {
        "E": "58 y/o F, metastatic breast cancer to the liver. ECOG 1. No brain metastases. HIV negative.",
        "F": "58 y/o F, metastatic breast cancer to the liver. ECOG 3. No brain metastases. HIV negative.",
    })  # fmt: skip
    _set(tmp_path / "fr", "FR-", {
        "E": "Patiente de 58 ans, cancer du sein métastatique (foie). PS OMS 1. Pas de métastase cérébrale. VIH négatif.",
        "F": "Patiente de 58 ans, cancer du sein métastatique (foie). PS OMS 3. Pas de métastase cérébrale. VIH négatif.",
    })  # fmt: skip
    # strict decision policy (matching/trust.py): the ECOG 3 reading excludes in both languages
    with trust.strict():
        result = CliRunner().invoke(
            app,
            ["eval", "parallel", "--english", str(tmp_path / "en"), "--other", str(tmp_path / "fr"),
             "--corpus", str(tmp_path / "corpus.jsonl"), "--out", str(tmp_path / "out"), "--json"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["parallel_pairs"] == 2 and summary["same_verdict"] == 2
    assert summary["english"]["excluded_caught"] == summary["other"]["excluded_caught"] == 1
    lines = [
        json.loads(x) for x in (tmp_path / "out" / "other.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    failing = next(x for x in lines if x["query-id"] == "FR-F")
    assert failing["verdict"] == "excluded"


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "parallel",
            "--english",
            str(tmp_path / "nope"),
            "--other",
            str(tmp_path),
            "--corpus",
            str(tmp_path / "c.jsonl"),
        ],
    )
    assert result.exit_code != 0
    assert "queries.jsonl" in result.output + str(result.exception)  # the CLI's main prints InputError
