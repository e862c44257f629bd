"""Emission factor tables: each load is a new version kept side by side (the shipped example,
the national table); footprints name the version they used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from oncofed.domain.carbon import EmissionFactor
from oncofed.errors import N_, InputError, NotFound, unreadable
from oncofed.ingest.carbon import read_factors, table_header
from oncofed.ingest.tabular import decode
from oncofed.resources import resource_path
from oncofed.store.db import Database
from oncofed.store.models_carbon import CarbonFactorRow, CarbonFactorSetRow

EXAMPLE = "carbon/factors_example.csv"


@dataclass(frozen=True)
class FactorSet:
    id: int
    version: str
    name: str
    source_file: str
    loaded_at: datetime
    factors: dict[tuple[str, str], EmissionFactor]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def load_factors(
    db: Database,
    raw: bytes,
    source: str,
    loaded_by: str,
    *,
    version: str | None = None,
    name: str | None = None,
    replace: bool = False,
) -> FactorSet:
    """Check the table (every bad row named, nothing stored if one is found) and store it as `version`."""
    text = decode(raw, source)
    header = table_header(text)
    version = (version or header.get("version") or "").strip()
    if not version:
        raise InputError(
            N_("the table has no version"),
            file=source,
            fix=N_("pass --version V (or a %(line)s line at the top)"),
            code="carbon.no_version",
            params={"line": "'# version: V'"},
        )
    factors = read_factors(text, source)
    with db.session() as s:
        existing = s.scalar(select(CarbonFactorSetRow).where(CarbonFactorSetRow.version == version))
        if existing is not None:
            if not replace:
                raise InputError(
                    N_("version %(version)s is already loaded"),
                    file=source,
                    fix=N_("give the new table another --version (versions are kept), or --replace"),
                    code="carbon.version_loaded",
                    params={"version": repr(version)},
                )
            s.delete(existing)
            s.flush()
        row = CarbonFactorSetRow(
            version=version,
            name=(name or header.get("name") or version)[:300],
            source_file=source,
            loaded_at=_now(),
            loaded_by=loaded_by,
        )
        s.add(row)
        s.flush()
        s.add_all(
            CarbonFactorRow(
                set_id=row.id,
                category=f.category,
                item=f.item,
                name_en=f.name_en,
                name_fr=f.name_fr,
                unit=f.unit,
                kgco2e_per_unit=f.kgco2e_per_unit,
                scope=f.scope,
                beges_post=f.beges_post,
                uncertainty_pct=f.uncertainty_pct,
                source=f.source,
            )
            for f in factors
        )
        return FactorSet(row.id, version, row.name, source, row.loaded_at, {f.key: f for f in factors})


def load_factor_file(db: Database, path: Path, loaded_by: str, **kw: Any) -> FactorSet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    return load_factors(db, raw, str(path), loaded_by, **kw)


def load_example_factors(db: Database) -> FactorSet:
    path = resource_path(EXAMPLE)
    with db.session() as s:
        version = table_header(path.read_text(encoding="utf-8"))["version"]
        if s.scalar(select(CarbonFactorSetRow.id).where(CarbonFactorSetRow.version == version)) is not None:
            return factor_set(db, version)
    return load_factors(db, path.read_bytes(), "oncofed/resources/" + EXAMPLE, "demo build")


def factor_set(db: Database, version: str | None = None) -> FactorSet:
    """`version`, or the newest table loaded."""
    with db.session() as s:
        stmt = select(CarbonFactorSetRow).order_by(CarbonFactorSetRow.id.desc()).limit(1)
        if version:
            stmt = select(CarbonFactorSetRow).where(CarbonFactorSetRow.version == version)
        row = s.scalar(stmt)
        if row is None:
            raise NotFound(
                N_("no emission factor table %(version)s")
                if version
                else N_("no emission factor table loaded"),
                fix=N_(
                    "load one with `oncofed carbon factors load FILE` (see `oncofed carbon factors list`)"
                ),
                code="carbon.no_table",
                params={"version": repr(version)} if version else {},
            )
        factors = {
            (f.category, f.item): EmissionFactor(
                f.category,
                f.item,
                f.name_en,
                f.name_fr,
                f.unit,
                f.kgco2e_per_unit,
                f.scope,
                f.beges_post,
                f.uncertainty_pct,
                f.source,
            )
            for f in s.scalars(select(CarbonFactorRow).where(CarbonFactorRow.set_id == row.id))
        }
        return FactorSet(row.id, row.version, row.name, row.source_file, row.loaded_at, factors)


def factor_sets(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.execute(
            select(
                CarbonFactorSetRow.id,
                CarbonFactorSetRow.version,
                CarbonFactorSetRow.name,
                CarbonFactorSetRow.source_file,
                CarbonFactorSetRow.loaded_at,
            ).order_by(CarbonFactorSetRow.id.desc())
        )
        return [{**r._mapping, "loaded_at": r.loaded_at.isoformat(timespec="seconds")} for r in rows]
