"""The feasibility attacks of the outside probe (issue 17) against the disclosure policy in force,
many times over: the smallest count error an attacker reaches within the privacy budget (the figure
docs/SECURITY.md states). The attacks are the code of tests/feasibility_attacks.py.

    .venv/bin/python -m benchmarks.bench_trust_attacks [--attackers 200]
    .venv/bin/python -m benchmarks.bench_trust_attacks --patients [--demo-patients 300]

`--patients`: the patient-role attacks instead (tests/patient_attacks.py): a signed-in patient tries
every route of the app with other patients' ids in paths, queries and bodies, and enumerates every
record id of a demo network; counts what leaked (docs/SECURITY.md states the figure).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.feasibility_attacks import (
    TARGET_AGE,
    age_probe,
    attacker,
    build_network,
    naive_pairs,
    p_minus_q,
    varied_pairs,
)

from benchmarks.report import write_section
from oncofed.services.feasibility import disclosure
from oncofed.store.db import Database

TRUE_RARE = 3


def summary(errors: list[float]) -> dict[str, float]:
    rmse = math.sqrt(statistics.fmean(e * e for e in errors))
    return {
        "rmse": rmse,
        "mae": statistics.fmean(abs(e) for e in errors),
        "exact": sum(1 for e in errors if abs(e) < 0.5) / len(errors),
        "within1": sum(1 for e in errors if abs(e) <= 1) / len(errors),
        "p95": sorted(abs(e) for e in errors)[int(0.95 * (len(errors) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attackers", type=int, default=200)
    parser.add_argument("--patients", action="store_true", help="the patient-role attacks instead")
    parser.add_argument(
        "--demo-patients", type=int, default=300, help="size of the demo network (--patients)"
    )
    args = parser.parse_args()
    if args.patients:
        patient_attacks(args.demo_patients)
        return
    policy = disclosure.policy()
    tmp = Path(tempfile.mkdtemp(prefix="bench-attacks-"))
    db = Database(f"sqlite:///{tmp}/attacks.sqlite3")
    db.upgrade()
    build_network(db, rare=TRUE_RARE, others=60)

    started = time.perf_counter()
    varied: list[float] = []
    varied_asked = Counter()
    for n in range(args.attackers):
        r = p_minus_q(db, attacker(n), varied_pairs())
        varied_asked[(r.asked, r.answered_pairs, r.refused.split(":")[0])] += 1
        if r.estimate is not None:
            varied.append(r.estimate - TRUE_RARE)
    varied_s = time.perf_counter() - started

    naive: list[float] = []
    naive_asked = Counter()
    for n in range(args.attackers // 4):
        r = p_minus_q(db, attacker(100_000 + n), naive_pairs(90))
        naive_asked[(r.asked, r.answered_pairs, r.refused.split(":")[0])] += 1
        if r.estimate is not None:
            naive.append(r.estimate - TRUE_RARE)

    probes = [age_probe(db, attacker(200_000 + n), range(50, 65)) for n in range(args.attackers // 4)]
    zeros = sum(1 for p in probes for _, label in p if label == "0")
    # the probe's rule: the man's age is the last threshold whose answer differs from the next one's
    revealed = sum(
        1
        for p in probes
        if [a for (a, x), (_, y) in zip(p, p[1:], strict=False) if x != y][-1:] == [TARGET_AGE]
    )
    # what a legitimate user pays: the error of one shown count of 50
    shown = [c.value for c in disclosure.disclose_all([50] * 20_000, policy.scale) if c.value is not None]
    utility_sd = statistics.pstdev(shown)

    v, nv = summary(varied), summary(naive) if naive else None
    sd = math.sqrt(statistics.fmean(e * e for e in varied))
    body = f"""
Policy: {policy.as_json()["mechanism"]}, scale {policy.scale:g} (noise sd {policy.scale * 2**0.5:.2f}),
{policy.epsilon_per_question:g} epsilon per question, {policy.epsilon_per_period:g} per user per
{policy.period_days} days ({policy.questions_per_period} questions), lockout past {policy.differencing_limit}
questions one criterion apart; shown counts: band "10 or fewer" on the noised count, else rounded to 5.
Network: one centre with {TRUE_RARE} patients of the attacked cancer (a suppressed count) among 63.

**P - Q averaging, best within the budget** (Z of a different kind each time, so no lockout; each attacker
spends the whole budget): {len(varied)} attackers, outcome (questions asked, pairs answered, refused by)
{dict(varied_asked)}. Error of the estimated count: root mean square **{v["rmse"]:.2f}** patients,
mean absolute {v["mae"]:.2f}, 95th percentile {v["p95"]:.1f}; estimate rounded to the true count in
{v["exact"]:.0%} of attacks, within 1 in {v["within1"]:.0%}; a 95% interval of about +/- {1.96 * sd:.1f}
patients around the estimate. {varied_s:.0f} s.

**The probe's P - Q sweep** (Z = age >= a, a = 0..89): {sum(naive_asked.values())} attackers, outcome
{dict(naive_asked)}; error root mean square {f"{nv['rmse']:.2f}" if nv else "n/a"} over the pairs answered
before the lockout.

**One-year age probe** (cancer X AND age >= a, a = 50..64): {len(probes)} attackers, answers "0":
{zeros}; the age read from where the answer changes was right in {revealed}/{len(probes)} probes;
every probe locked out after {statistics.median(len(p) for p in probes):.0f} answers.

**What a legitimate user pays**: a true count of 50 is shown with a standard deviation of
{utility_sd:.1f} (noise and rounding).
"""
    write_section(
        "trust-attacks",
        "Trust: feasibility attacks",
        "python -m benchmarks.bench_trust_attacks --attackers " + str(args.attackers),
        body,
    )
    print(body)


def patient_attacks(demo_patients: int) -> None:
    """The patient-role attacks over a demo network of `demo_patients` synthetic patients."""
    from tests.patient_attacks import run
    from tests.route_matrix import make_world

    from oncofed.synthetic.demo import build_demo

    tmp = Path(tempfile.mkdtemp(prefix="bench-patient-attacks-"))
    demo = Database(f"sqlite:///{tmp}/demo.sqlite3")
    build_demo(demo, patients=demo_patients, seed=42)
    world = make_world(demo, tmp)
    started = time.perf_counter()
    r = run(world, enumerate_all=True)
    seconds = time.perf_counter() - started
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items()))
    body = f"""
A patient signed in (role `patient`, bound to one record of Institut Curie) attacks a demo network of
{len(world.all_ids)} patients: {r.routes} routes ({r.own_space_routes} of them in the patient's own space) each
tried with another centre's ids and with another Curie patient's id in the path, the own-space routes
again with that id slipped into the query string and the body (`patient_id`, `id`, `patient`), and the
record API of all {len(world.all_ids) - 1} other patients one id after the other: **{r.requests} requests**
in {seconds:.0f} s. Outcomes: {outcomes}.

**Responses showing another patient's id: {len(r.leaks)}.** Routes outside the own space that served the
patient (2xx): {len(r.served_outside)}. Other patients' records changed (objection, contact requests):
{r.others_changed}. Server errors: {len(r.errors)}.
"""
    write_section(
        "trust-patient-attacks",
        "Trust: patient-role attacks",
        f"python -m benchmarks.bench_trust_attacks --patients --demo-patients {demo_patients}",
        body,
    )
    print(body)
    for line in [*r.leaks, *r.served_outside, *r.errors][:20]:
        print("  ", line)


if __name__ == "__main__":
    main()
