"""The demo network's accounts (`oncofed demo`): one clinician, research nurse and HR account per demo
centre and one account of each network role, sharing the published demo password (demo databases only)."""

from __future__ import annotations

from oncofed.domain import Actor, Role
from oncofed.services.accounts.users import User, add_user, hash_password, list_users
from oncofed.store.db import Database

DEMO_PASSWORD = "oncofed-demo"  # documented in README/SECURITY.md; demo databases only
DEMO_CENTRES = ("curie", "gustave-roussy")
DEMO_ACCOUNTS: list[tuple[str, Role, tuple[str, ...], str]] = [
    *(
        account
        for centre in DEMO_CENTRES
        for account in (
            (f"clin-{centre}", Role.CLINICIAN, (centre,), f"Clinician, {centre}"),
            (f"arc-{centre}", Role.RESEARCH_STAFF, (centre,), f"Research nurse, {centre}"),
            (f"hr-{centre}", Role.CENTRE_HR, (centre,), f"Human resources, {centre}"),
        )
    ),
    ("trials", Role.TRIAL_MANAGER, (), "Trial manager (network)"),
    ("quality", Role.QUALITY_MANAGER, (), "Quality manager (network)"),
    (
        "quality-curie",
        Role.QUALITY_MANAGER,
        ("curie",),
        "Quality manager, curie (edits its EPiHC self-assessment)",
    ),
    ("dpo", Role.DPO, (), "Data-protection officer"),
    ("hr", Role.FEDERATION_HR, (), "Human resources (federation: collective agreement)"),
    ("admin", Role.ADMIN, (), "Administrator"),
]


def ensure_demo_accounts(db: Database) -> list[User]:
    """The demo accounts (password `DEMO_PASSWORD`), created once; existing ones are left as they are.
    They share one argon2 hash of the published demo password (one hash instead of eight)."""
    existing = {u.username: u for u in list_users(db)}
    ensure_demo_patient_accounts(db, existing)
    if all(name in existing for name, *_ in DEMO_ACCOUNTS):
        return [existing[name] for name, *_ in DEMO_ACCOUNTS]
    hashed = hash_password(DEMO_PASSWORD)
    return [
        add_user(
            db,
            name,
            role,
            DEMO_PASSWORD,
            centre_ids=list(centres),
            display_name=label,
            actor=Actor.system("demo build"),
            exist_ok=True,
            password_hash=hashed,
        )
        for name, role, centres, label in DEMO_ACCOUNTS
    ]


# a patient's own space (docs/PATIENTS.md): one demo patient per demo centre, the centre's first record
# (by id) of a living patient who does not object to research use, so their trials page can ask
DEMO_PATIENT_CENTRES = DEMO_CENTRES


def demo_patient_name(centre: str) -> str:
    return f"patient-{centre}"


def ensure_demo_patient_accounts(db: Database, existing: dict[str, User] | None = None) -> list[User]:
    """The demo patients' accounts (password `DEMO_PASSWORD`, already chosen: no first-sign-in step);
    a centre without patients gets none. Created as the platform (the demo build), so not audited."""
    from sqlalchemy import select

    from oncofed.domain import Actor
    from oncofed.services.accounts.patients import add_patient_account
    from oncofed.store.models import PatientRow

    existing = existing if existing is not None else {u.username: u for u in list_users(db)}
    out = []
    for centre in DEMO_PATIENT_CENTRES:
        name = demo_patient_name(centre)
        if name in existing:
            out.append(existing[name])
            continue
        with db.session() as s:
            pid = s.scalar(
                select(PatientRow.id)
                .where(PatientRow.centre_id == centre, PatientRow.research_objection.is_(False),
                       PatientRow.deceased.is_(False))
                .order_by(PatientRow.id)
                .limit(1)
            )  # fmt: skip
        if pid is None:
            continue
        user, _ = add_patient_account(
            db, Actor.system("demo build"), name, pid, display_name=f"Demo patient, {centre}",
            password=DEMO_PASSWORD, must_set_password=False,
        )  # fmt: skip
        out.append(user)
    return out
