"""French notes and criteria (issue 23): French against English on parallel notes, in one run.

    .venv/bin/python -m benchmarks.bench_french [--rounds 5] [--eds-python /tmp/venv-eds/bin/python] [--no-write]
    .venv/bin/python -m benchmarks.bench_french --speed-only --baseline COMMIT [--front-end-only] [--unseen] [--rounds 3] [--repeats 4]
    .venv/bin/python -m benchmarks.bench_french --speed-only --compiled [--unseen] [--rounds 3] [--repeats 4]

- Facts: the 27 eligible notes of the verdict dev set, English and their French twins, scored against one
  gold (`benchmarks/data/verdicts-dev-fr/facts-gold.jsonl`, labelled from the English text; the rules of
  `benchmarks/data/notes-facts-gold/README.md`); recall and precision per language, a 95 % bootstrap
  interval over notes, and the paired recall difference (French - English) with its interval.
- Verdicts: `oncofed eval verdicts`'s pipeline on the English dev set and on its French twin
  (`benchmarks/data/verdicts-dev-fr/`, same pairs, same corpus), side by side: eligible notes not
  excluded, failures excluded with the named criterion, balanced accuracy, intervals over trials, folds.
- Speed: notes -> facts on one core (CPU time), the 102 French notes and their 102 English twins,
  alternating rounds in one process. `--speed-only --baseline COMMIT`: the same measure for the code of
  COMMIT and of HEAD side by side (`benchmarks/french_speed.py`), written in place of the Speed part only.
  `--speed-only --compiled`: this working tree as pure Python (`ONCOFED_PURE=1`) against the same tree with
  the readers compiled by `make compile` (each row says which ran: `oncofed.compiled.status()`).
- EDS-NLP (optional, `--eds-python`): its negation / hypothesis / family qualifiers on the mentions the
  French front-end read, in its own venv (`benchmarks/eds_qualifiers.py`), agreement and CPU time.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import statistics
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import bootstrap, ensure_corpus, near_miss_items, rates
from benchmarks.notes_gold import KINDS, NoteScore, same_lineage, score_note, summarise
from benchmarks.report import ROOT, write_section

DATA = ROOT.parent / "shared" / "data"
EN = ROOT / "benchmarks" / "data" / "verdicts-dev"
FR = ROOT / "benchmarks" / "data" / "verdicts-dev-fr"
GOLD = FR / "facts-gold.jsonl"
VAR = ROOT / "var" / "bench-verdicts"
DAY = date(2026, 12, 1)
COMMAND = ".venv/bin/python -m benchmarks.bench_french --eds-python /tmp/venv-eds/bin/python"
TITLE = "French notes and criteria (issue 23)"


def _queries(folder: Path) -> dict[str, str]:
    lines = (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return {q["_id"]: q["text"] for q in map(json.loads, filter(None, lines))}


def _fact_dicts(text: str, note_id: str) -> list[dict[str, Any]]:
    from oncofed.ingest.patients.notes import extract

    return [
        {"kind": f.kind, "code": f.code, "value": f.value, "unit": f.unit, "negated": f.negated,
         "attributes": f.attributes}
        for f in extract(text, note_id, "note").facts
    ]  # fmt: skip


def facts_section(en: dict[str, str], fr: dict[str, str]) -> tuple[str, dict[str, Any]]:
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    scores: dict[str, list[NoteScore]] = {"en": [], "fr": []}
    for note in gold:
        scores["en"].append(score_note(note, _fact_dicts(en[note["id"]], note["id"]), same_lineage))
        scores["fr"].append(score_note(note, _fact_dicts(fr[note["french"]], note["french"]), same_lineage))
    sums = {lang: summarise(s, KINDS) for lang, s in scores.items()}

    def recall(sample: list[int], lang: str) -> float:
        tp = sum(sum(scores[lang][i].tp.values()) for i in sample)
        fn = sum(sum(scores[lang][i].fn.values()) for i in sample)
        return tp / (tp + fn) if tp + fn else float("nan")

    rng = random.Random(23)
    n = len(gold)
    diffs = sorted(
        recall(s, "fr") - recall(s, "en") for s in ([rng.randrange(n) for _ in range(n)] for _ in range(2000))
    )
    low, high = diffs[50], diffs[1949]
    rows = ["| kind | gold facts | English P / R | French P / R |", "|---|---:|---|---|"]
    for kind in [*KINDS, "ALL"]:
        e, f = sums["en"][kind], sums["fr"][kind]
        if not (e["tp"] + e["fn"]) and not (e["fp"] or f["fp"]):
            continue
        name = "**all kinds**" if kind == "ALL" else kind
        rows.append(
            f"| {name} | {e['tp'] + e['fn']} | {e['p']:.2f} / {e['r']:.2f} | {f['p']:.2f} / {f['r']:.2f} |"
        )
    e, f = sums["en"]["ALL"], sums["fr"]["ALL"]
    not_history = {lang: sum(x.not_history for x in s) for lang, s in scores.items()}
    text = "\n".join(
        [
            f"{n} parallel notes (the eligible notes of the dev set and their French twins), "
            f"{sum(len(g['facts']) for g in gold)} gold facts "
            f"({sum(bool(x.get('optional')) for g in gold for x in g['facts'])} optional), "
            f"{sum(len(g['not_facts']) for g in gold)} statements that must not become facts.",
            "",
            "| measure | English | French |",
            "|---|---:|---:|",
            f"| recall, all kinds | {e['r']:.3f} | {f['r']:.3f} |",
            f"| precision | {e['p']:.3f} | {f['p']:.3f} |",
            f"| F1 (95 % CI over notes) | {e['f1']:.3f} ({e['f1_low']:.2f}-{e['f1_high']:.2f}) | "
            f"{f['f1']:.3f} ({f['f1_low']:.2f}-{f['f1_high']:.2f}) |",
            f"| plans, trial drugs, relatives read as facts | {not_history['en']} | {not_history['fr']} |",
            "",
            f"Recall French - English: **{100 * (f['r'] - e['r']):+.1f} points** "
            f"(paired bootstrap over notes, 95 %: {100 * low:+.1f} to {100 * high:+.1f}); target: within 10 points.",
            "",
            "Per kind:",
            "",
            "\n".join(rows),
        ]
    )
    return text, {"en": e, "fr": f, "diff": (f["r"] - e["r"], low, high)}


def _verdict_runs(corpus: Path, strict: bool) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Both dev sets through `oncofed eval verdicts`' pipeline, with the decision policy or `strict`."""
    from oncofed.matching import trust
    from oncofed.services.matching import verdicts as V

    out: dict[str, Any] = {}
    lines_by: dict[str, list[dict[str, Any]]] = {}
    for lang, folder in (("en", EN), ("fr", FR)):
        inputs = V.load_inputs(folder / "queries.jsonl", corpus, folder / "pairs.tsv")
        with trust.strict(strict):
            lines = V.evaluate_pairs(inputs, DAY)
        V.write_lines(VAR / f"dev-{lang}{'-strict' if strict else ''}.jsonl", lines)
        expected = {
            (r["query-id"], r["corpus-id"]): r
            for r in map(json.loads, (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines())
        }
        items = near_miss_items(lines, expected)
        out[lang] = {"rates": rates(items), "ci": bootstrap(items), "items": items}
        lines_by[lang] = lines
    return out, lines_by


def verdicts_section(corpus: Path) -> tuple[str, dict[str, Any]]:
    """English and French verdicts side by side, twice: the shipped engine (the decision policy of
    matching/trust.py: only trusted kinds of reading exclude, so both languages exclude almost nothing
    and their figures say little of the French readings) and strict (every reading excludes: what the
    French readings are worth against the English ones, the comparison issue 23's target is about)."""
    runs = {mode: _verdict_runs(corpus, mode == "strict") for mode in ("strict", "policy")}
    out, lines_by = runs["strict"]
    en_verdicts = {(x["query-id"], x["corpus-id"]): x["verdict"] for x in lines_by["en"]}
    same = sum(en_verdicts.get((x["query-id"][3:], x["corpus-id"])) == x["verdict"] for x in lines_by["fr"])
    rows = [
        "| measure | English (95 % CI over trials) | French (95 % CI) | French - English |",
        "|---|---|---|---:|",
    ]
    for mode, title in (("strict", "strict (`--strict`)"), ("policy", "shipped (decision policy)")):
        scored = runs[mode][0]
        for key, label in (
            ("eligible_kept", "eligible notes not excluded"),
            ("failure_named", "failures excluded with the named criterion violated"),
            ("failure_excluded", "failures excluded"),
            ("failure_flagged", "failures flagged (excluded, or the named criterion to check)"),
            ("balanced", "balanced accuracy (excluded vs not)"),
        ):
            e, f = scored["en"]["rates"][key], scored["fr"]["rates"][key]
            ce, cf = scored["en"]["ci"].get(key), scored["fr"]["ci"].get(key)
            rows.append(
                f"| {title}: {label} | {100 * e:.1f} % [{100 * ce[0]:.0f}-{100 * ce[1]:.0f}] | "
                f"{100 * f:.1f} % [{100 * cf[0]:.0f}-{100 * cf[1]:.0f}] | {100 * (f - e):+.1f} |"
            )
    folds = sorted({i["fold"] for i in out["en"]["items"]})
    fold_rows = ["| fold | English balanced | French balanced |", "|---|---:|---:|"]
    for k in folds:
        e = rates([i for i in out["en"]["items"] if i["fold"] == k])["balanced"]
        f = rates([i for i in out["fr"]["items"] if i["fold"] == k])["balanced"]
        fold_rows.append(f"| {k} | {e:.3f} | {f:.3f} |")
    text = "\n".join(
        [
            f"{len(lines_by['fr'])} pairs per language (102 labelled, 36 unlabelled), the same corpus and pairs; "
            f"strict, the same verdict for {same} of {len(lines_by['fr'])} pairs. The shipped engine excludes only on "
            "readings of a trusted kind (matching/trust.py; the Verdicts section), so its two languages agree "
            "trivially; the strict rows compare what the French and English readings are worth.",
            "",
            "\n".join(rows),
            "",
            "Per fold, strict (folds by trial, as in the dev set):",
            "",
            "\n".join(fold_rows),
        ]
    )
    return text, out


REPEAT = 5  # distinct copies of each note a round


def speed_rates(en: dict[str, str], fr: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Notes/s of the English twins and of the French notes, `rounds` alternating rounds, CPU time."""
    from oncofed.ingest.patients.notes import extract

    en_texts = [en[k] for k in sorted(en)]
    fr_texts = [fr[k] for k in sorted(fr)]
    for t in en_texts + fr_texts:  # warm the vocabularies and ConText once
        extract(t, "warm", "note")
    rates_: dict[str, list[float]] = {"en": [], "fr": []}
    for _ in range(rounds):
        for lang, texts in (("en", en_texts), ("fr", fr_texts)):
            # distinct texts each time: the readers cache per text, a repeated note would be free
            batch = [f"{t}\n(copy {k})" for k in range(REPEAT) for t in texts]
            started = time.process_time()
            for i, t in enumerate(batch):
                extract(t, f"n{i}", "note")
            rates_[lang].append(len(batch) / (time.process_time() - started))
    return rates_


def unseen_rates(en: dict[str, str], fr: dict[str, str], rounds: int) -> dict[str, list[float]]:
    """Notes/s as `speed_rates`, but with ConText's sentence memo emptied before each note: what a note
    costs when none of its sentences was seen before (the copies of `speed_rates` share all sentences
    but the last, and the dev notes of one trial most of theirs, so ConText mostly answers from its memo
    there). Only the `extract` calls are timed, after one untimed pass that loads the vocabularies and
    models (a worker of `--speed-only --unseen` starts cold: its first round read ~30 notes/s)."""
    from oncofed.criteria.context import clear_memo
    from oncofed.ingest.patients.notes import extract

    for t in list(en.values()) + list(fr.values()):  # load the vocabularies and models outside the timing
        extract(t, "warm", "note")
    rates_: dict[str, list[float]] = {"en": [], "fr": []}
    for r in range(rounds):
        for lang, texts in (("en", [en[k] for k in sorted(en)]), ("fr", [fr[k] for k in sorted(fr)])):
            spent = 0.0
            for i, t in enumerate(texts):
                clear_memo()
                started = time.process_time()
                extract(f"{t}\n(unseen {r})", f"u{i}", "note")
                spent += time.process_time() - started
            rates_[lang].append(len(texts) / spent)
    return rates_


def rewrite_cost(en: dict[str, str], fr: dict[str, str], rounds: int) -> dict[str, float]:
    """The English reader (`facts.extract`) on the French notes' rewrite against the same reader on their
    English twins: characters and CPU time (median of `rounds` alternating rounds, copies as in
    `speed_rates`), and the share of the rewrite's characters that are French function words kept as
    written (what a shorter rewrite could drop)."""
    from oncofed.criteria.french import rewrite
    from oncofed.criteria.language import FRENCH_WORDS
    from oncofed.ingest.patients.notes import facts

    keys = [k for k in sorted(fr) if k.removeprefix("FR-") in en]
    twins = [en[k.removeprefix("FR-")] for k in keys]
    rewritten = [rewrite(fr[k], "notes") for k in keys]
    kept = 0
    for rw in rewritten:
        edited = [(d0, d1) for _, _, d0, d1 in rw.edits]
        for m in re.finditer(r"[^\W\d_]+", rw.text):
            k = bisect.bisect_right(edited, (m.start(), len(rw.text))) - 1
            inside = k >= 0 and m.start() < edited[k][1]
            kept += len(m.group()) if not inside and m.group().lower() in FRENCH_WORDS else 0
    texts = {"en": twins, "rw": [rw.text for rw in rewritten]}
    for t in texts["en"] + texts["rw"]:
        facts.extract(t, "warm", "note")
    spent: dict[str, list[float]] = {"en": [], "rw": []}
    for r in range(rounds):
        for name in ("en", "rw") if r % 2 == 0 else ("rw", "en"):
            started = time.process_time()
            for k in range(REPEAT):
                for i, t in enumerate(texts[name]):
                    facts.extract(f"{t}\n(copy {r} {k})", f"c{i}", "note")
            spent[name].append(time.process_time() - started)
    chars = {name: sum(map(len, t)) for name, t in texts.items()}
    return {
        "chars": chars["rw"] / chars["en"],
        "source_chars": sum(len(fr[k]) for k in keys) / chars["en"],
        "time": statistics.median(b / a for a, b in zip(spent["en"], spent["rw"], strict=True)),
        "kept_function_words": kept / chars["rw"],
    }


def speed_section(en: dict[str, str], fr: dict[str, str], rounds: int) -> tuple[str, dict[str, Any]]:
    rates_ = speed_rates(en, fr, rounds)
    unseen = unseen_rates(en, fr, rounds)
    cost = rewrite_cost(en, fr, rounds)
    med = {lang: statistics.median(v) for lang, v in rates_.items()}
    med_unseen = {lang: statistics.median(v) for lang, v in unseen.items()}
    paired = statistics.median(f / e for e, f in zip(rates_["en"], rates_["fr"], strict=True))
    paired_unseen = statistics.median(f / e for e, f in zip(unseen["en"], unseen["fr"], strict=True))
    text = "\n".join(
        [
            "| notes -> facts, one core (CPU time, median of "
            f"{rounds} rounds of {REPEAT * len(fr)} notes) | English twins | French |",
            "|---|---:|---:|",
            f"| notes/s | {med['en']:,.0f} | **{med['fr']:,.0f}** |",
            f"| French / English, median of the paired rounds | 1 | {paired:.2f}x |",
            f"| notes/s, ConText's sentence memo emptied before each note ({len(fr)} notes a round) "
            f"| {med_unseen['en']:,.0f} | {med_unseen['fr']:,.0f} |",
            f"| French / English, memo emptied | 1 | {paired_unseen:.2f}x |",
            "",
            "The timed copies differ from the warm-up notes in their last line only, so ConText (medspaCy)"
            " answers most of their sentences from its sentence memo (`criteria.context`); a real note"
            " shares few sentences with the notes read before it. The memo-emptied row is what a note costs"
            " when none of its sentences was seen before; the first row is the measure used since the target"
            " was set.",
            "",
            f"The English reader alone on the French notes' rewrite takes {cost['time']:.2f}x its time on the"
            f" English twins (median of {rounds} alternating rounds): the rewrite is {cost['chars']:.2f}x as"
            f" long as the twins, the French notes themselves {cost['source_chars']:.2f}x (the twins are"
            " written in English shorthand: '64 y/o F', 'mets', 'dx'); French function words kept as written"
            f" are {cost['kept_function_words']:.1%} of the rewrite's characters, so a shorter rewrite has"
            " little to drop: the rewrite adds no padding (offsets are mapped back, `Rewritten.edits`).",
            "",
            f"Target: at least 500 French notes/s on one core. Load average at the end: {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores shared with other engineers.",
        ]
    )
    return text, {"rates": med, "paired": paired, "unseen": med_unseen, "rewrite": cost}


def eds_section(fr: dict[str, str], eds_python: Path) -> str:
    """EDS-NLP's qualifiers on the mentions the French front-end read (negated or not)."""
    from oncofed.ingest.patients.notes import extract

    items, ours = [], {}
    for qid, text in sorted(fr.items()):
        facts = [
            f
            for f in extract(text, qid, "note").facts
            if f.kind in ("comorbidity", "metastasis", "treatment", "pregnancy") and f.provenance.span
        ]
        spans = sorted({f.provenance.span for f in facts})  # type: ignore[type-var]
        items.append({"id": qid, "text": text, "spans": [list(s) for s in spans]})  # type: ignore[arg-type]
        for f in facts:
            ours[(qid, f"{f.provenance.span[0]}:{f.provenance.span[1]}")] = f.negated  # type: ignore[index]
    done = subprocess.run(
        [str(eds_python), str(ROOT / "benchmarks" / "eds_qualifiers.py")],
        input="".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
        capture_output=True, text=True, check=False, env={**os.environ, "LOGURU_LEVEL": "ERROR"},
    )  # fmt: skip
    if done.returncode:
        return f"EDS-NLP run failed ({eds_python}): {done.stderr.strip()[-300:]}"
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.strip()]
    timing = lines.pop()
    agree = total = both_neg = ours_only = eds_only = 0
    for line in lines:
        for key, flags in line["flags"].items():
            mine = ours.get((line["id"], key))
            if mine is None:
                continue
            total += 1
            agree += mine == flags["negation"]
            both_neg += mine and flags["negation"]
            ours_only += mine and not flags["negation"]
            eds_only += flags["negation"] and not mine
    version = subprocess.run(
        [str(eds_python), "-c", "import edsnlp, spacy, numpy; print(edsnlp.__version__, spacy.__version__, numpy.__version__)"],
        capture_output=True, text=True, check=False,
    ).stdout.split()  # fmt: skip
    per_note = 1000 * timing["cpu_s"] / max(1, timing["notes"])
    return "\n".join(
        [
            f"EDS-NLP {version[0] if version else '?'} (spaCy {version[1] if len(version) > 1 else '?'}, numpy "
            f"{version[2] if len(version) > 2 else '?'}) in its own venv: it installs offline from PyPI, its rule "
            "pipes (negation, hypothesis, family, history, reported speech, dates, TNM, quantities, comorbidities, "
            "drugs, CIM-10) need no model download; it cannot share oncofed's venv (spaCy >= 3.8.7 and numpy 2 "
            "against medspaCy's spaCy 3.7.5 / numpy 1.26).",
            "",
            "| on the mentions the French front-end read in the 102 French notes | value |",
            "|---|---:|",
            f"| mentions compared | {total} |",
            f"| same negation (EDS-NLP `negation` vs the front-end) | {agree} ({100 * agree / max(1, total):.1f} %) |",
            f"| negated by both / by the front-end only / by EDS-NLP only | {both_neg} / {ours_only} / {eds_only} |",
            f"| EDS-NLP qualifiers alone, CPU per note (sentences, normalizer, 4 qualifiers) | {per_note:.2f} ms |",
            "",
            "Kept from EDS-NLP: its French cue lists (negation, hypothesis, family, history), rewritten into the "
            "English cues the notes reader's ConText already scopes (`resources/vocab/fr/rules.yaml`). Not kept: "
            "its pipeline (its qualifiers alone take most of the 2 ms per note that 500 notes/s allow, and it "
            "needs another spaCy and numpy).",
        ]
    )


def compiled_status() -> str:
    """Whether the readers on PYTHONPATH run compiled (`make compile`); an older commit has no such build."""
    try:
        from oncofed import compiled
    except ImportError:
        return "pure Python (no compiled build at this commit)"
    return compiled.status()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--eds-python", type=Path, default=None)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--speed-only", action="store_true", help="speed before/after side by side (french_speed.py)"
    )
    ap.add_argument("--baseline", default=None, help="with --speed-only: the commit before the change")
    ap.add_argument("--after", default="HEAD", help="with --speed-only: the commit after the change")
    ap.add_argument("--repeats", type=int, default=4, help="with --speed-only: worker runs per version")
    ap.add_argument(
        "--front-end-only",
        action="store_true",
        help="with --speed-only: before = after with the baseline's front-end",
    )
    ap.add_argument(
        "--unseen",
        action="store_true",
        help="with --speed-only: ConText's sentence memo emptied before each note (unseen_rates)",
    )
    ap.add_argument(
        "--rewrite-pairs",
        action="store_true",
        help="the French rewrite of --baseline against this tree's, note by note in one process",
    )
    ap.add_argument(
        "--compiled",
        action="store_true",
        help="with --speed-only: this tree as pure Python against the same tree compiled (make compile)",
    )
    ap.add_argument("--speed-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    en, fr = _queries(EN), _queries(FR)
    if args.speed_worker:  # one worker of --speed-only: the rates of the oncofed on PYTHONPATH, as JSON
        import oncofed

        if args.unseen:
            rates_, notes = unseen_rates(en, fr, args.rounds), len(fr)
        else:
            rates_, notes = speed_rates(en, fr, args.rounds), REPEAT * len(fr)
        print(
            json.dumps({**rates_, "module": oncofed.__file__, "notes": notes, "compiled": compiled_status()})
        )
        return
    if args.rewrite_pairs:  # printed only: the "### Speed" part is the side-by-side figure
        from benchmarks.french_speed import paired_rewrite

        if not args.baseline:
            raise SystemExit("--rewrite-pairs needs --baseline COMMIT (the code before the change)")
        print(paired_rewrite(args.baseline, args.rounds))
        return
    if args.speed_only:
        from benchmarks.french_speed import replace_speed, side_by_side

        if not args.baseline and not args.compiled:
            raise SystemExit(
                "--speed-only needs --baseline COMMIT (the code before the change) or --compiled"
            )
        speed = side_by_side(
            args.baseline or "HEAD", args.after, args.rounds, args.repeats, args.front_end_only, args.unseen,
            compiled=args.compiled,
        )  # fmt: skip
        print(speed)
        if not args.no_write:
            replace_speed(speed)
        return
    body = []
    facts_text, _ = facts_section(en, fr)
    body += ["### Facts from parallel notes", facts_text]
    if DATA.exists():
        VAR.mkdir(parents=True, exist_ok=True)
        corpus = VAR / "verdicts-corpus.jsonl"
        ensure_corpus(corpus)
        verdict_text, _ = verdicts_section(corpus)
        body += ["### Verdicts on the parallel dev set (`oncofed eval verdicts` pipeline)", verdict_text]
    else:
        body += ["### Verdicts", "data not found: ../shared/data (the trials of the dev set)"]
    speed_text, _ = speed_section(en, fr, args.rounds)
    body += ["### Speed", speed_text]
    if args.eds_python and args.eds_python.exists():
        body += ["### EDS-NLP, evaluated", eds_section(fr, args.eds_python)]
    else:
        body += ["### EDS-NLP", "not run (give `--eds-python` a venv with edsnlp installed)"]
    text = "\n\n".join(body)
    print(text)
    if not args.no_write:
        write_section("french", TITLE, COMMAND, text)


if __name__ == "__main__":
    main()
