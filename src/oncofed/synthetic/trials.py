"""Fictional demo trials built from `resources/demo_trials.yaml` (seeded, reproducible)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from oncofed.domain import Centre, Phase, Trial, TrialSite, TrialStatus
from oncofed.resources import load_yaml

DEMO_SPONSOR = "oncofed demo network (fictional sponsor)"

# External (non-network) facilities so that site mapping shows both kinds; public hospital names.
EXTERNAL_FACILITIES = [
    ("CHU de Brest", "Brest", 48.3904, -4.4861),
    ("Hôpital Européen Georges-Pompidou", "Paris", 48.8393, 2.2736),
    ("CHU de Limoges", "Limoges", 45.8336, 1.2611),
    ("CHU de Besançon", "Besançon", 47.2378, 6.0241),
    ("CHU d'Amiens-Picardie", "Amiens", 49.8941, 2.2958),
    ("CHU de Poitiers", "Poitiers", 46.5802, 0.3404),
    ("CHU de Tours", "Tours", 47.3941, 0.6848),
    ("CHU d'Orléans", "Orléans", 47.9030, 1.9093),
]


def _eligibility_text(design: dict[str, Any], variant: dict[str, Any], common: dict[str, Any]) -> str:
    min_age = variant.get("min_age", 18)
    ecog_max = variant.get("ecog_max", 1)
    ecog_text = "0 or 1" if ecog_max == 1 else f"0 to {ecog_max}"
    crcl = 30 if design["key"] in {"myeloma", "aml"} else 50
    inclusion = [line.format(min_age=min_age, ecog_text=ecog_text, crcl=crcl) for line in common["inclusion"]]
    if design.get("no_measurable"):
        inclusion = [line for line in inclusion if "RECIST" not in line]
    if design["key"] == "gbm":
        inclusion = [line for line in inclusion if "ECOG" not in line and "RECIST" not in line]
    specific = list(design.get("inclusion", [])) + list(variant.get("extra_inclusion", []))
    inclusion = inclusion[:1] + specific + inclusion[1:]
    exclusion = list(design.get("exclusion", [])) + list(variant.get("extra_exclusion", []))
    exclusion += list(common["exclusion"])
    if design.get("io"):
        exclusion += [x for x in common["io_exclusion"] if x not in exclusion]
    lines = ["Inclusion Criteria:", ""]
    lines += [f"* {x}" for x in inclusion]
    lines += ["", "Exclusion Criteria:", ""]
    lines += [f"* {x}" for x in exclusion]
    return "\n".join(lines)


def _variants(design: dict[str, Any]) -> list[dict[str, Any]]:
    variants = list(design["variants"])
    if len(variants) == 1:
        variants.append(
            {
                "phase": "PHASE1",
                "line": "dose escalation",
                "title_suffix": f"combined with {design['comparator']}: dose escalation and expansion",
                "ecog_max": 1,
                "min_age": variants[0].get("min_age", 18),
            }
        )
    return variants


def build_demo_trials(centres: list[Centre], seed: int = 7) -> list[Trial]:
    """About 60 fictional oncology trials with sites spread over the network's centres."""
    spec = load_yaml("demo_trials.yaml")
    rng = random.Random(seed)
    trials: list[Trial] = []
    number = 0
    for design in spec["designs"]:
        for variant in _variants(design):
            number += 1
            trial_id = f"DEMO-{number:04d}"
            phase = Phase(variant["phase"])
            status_roll = rng.random()
            if status_roll < 0.75:
                status = TrialStatus.RECRUITING
            elif status_roll < 0.85:
                status = TrialStatus.NOT_YET_RECRUITING
            elif status_roll < 0.93:
                status = TrialStatus.ACTIVE_NOT_RECRUITING
            else:
                status = TrialStatus.COMPLETED
            n_sites = rng.randint(2, 4) if phase is Phase.PHASE1 else rng.randint(4, 11)
            chosen = rng.sample(centres, k=min(n_sites, len(centres)))
            enrolment = {Phase.PHASE1: 40, Phase.PHASE2: 120, Phase.PHASE3: 480}.get(phase, 100)
            enrolment = int(enrolment * rng.uniform(0.7, 1.3))
            per_site = max(3, enrolment // max(1, len(chosen)))
            sites: list[TrialSite] = []
            for c in chosen:
                if status is TrialStatus.RECRUITING:
                    site_status = (
                        TrialStatus.RECRUITING if rng.random() < 0.8 else TrialStatus.NOT_YET_RECRUITING
                    )
                else:
                    site_status = status
                sites.append(
                    TrialSite(
                        facility=c.name,
                        status=site_status,
                        centre_id=c.id,
                        city=c.city,
                        country="France",
                        postcode=c.postcode,
                        latitude=c.latitude,
                        longitude=c.longitude,
                        target_enrolment=per_site,
                    )
                )
            if rng.random() < 0.35:
                name, city, lat, lon = rng.choice(EXTERNAL_FACILITIES)
                sites.append(
                    TrialSite(
                        facility=name,
                        status=TrialStatus.RECRUITING if status is TrialStatus.RECRUITING else status,
                        city=city,
                        country="France",
                        latitude=lat,
                        longitude=lon,
                        target_enrolment=per_site // 2 or 1,
                    )
                )
            start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 900))
            drug = design["drug"]
            drug_code = drug.split(" ")[0]
            title = f"{drug_code} {variant['title_suffix']} in {design['condition']}"
            trials.append(
                Trial(
                    id=trial_id,
                    source="demo",
                    title=f"[Fictional] {title}",
                    official_title=(
                        f"A {phase.value.replace('PHASE', 'Phase ')} study of {drug} ({variant['line']}) "
                        f"in patients with {design['condition']} — fictional demo trial"
                    ),
                    acronym=f"{design['key'].split('-')[0].upper()}-{number:02d}",
                    brief_summary=(
                        f"FICTIONAL DEMO TRIAL written by the oncofed project. Evaluates {drug}, a {design['klass']}, "
                        f"{variant['title_suffix']}, in {design['condition']} ({variant['line']}). "
                        f"Comparator: {design['comparator']}."
                    ),
                    status=status,
                    phases=(phase,),
                    study_type="INTERVENTIONAL",
                    conditions=(design["condition"], design["name"]),
                    keywords=(design["klass"], variant["line"], design["oncotree"]),
                    interventions=(drug, design["comparator"]),
                    eligibility_text=_eligibility_text(design, variant, spec["common"]),
                    min_age_years=float(variant.get("min_age", 18)),
                    max_age_years=None,
                    sex=design.get("sex", "ALL"),
                    healthy_volunteers=False,
                    enrolment=enrolment,
                    start_date=start,
                    completion_date=start + timedelta(days=rng.randint(700, 1800)),
                    last_update=date(2026, 10, 1) - timedelta(days=rng.randint(0, 200)),
                    sponsor=DEMO_SPONSOR,
                    collaborators=("oncofed demo network",),
                    sites=sites,
                    fictional=True,
                    extra={"oncotree": design["oncotree"], "design": design["key"], "line": variant["line"]},
                )
            )
    return trials
