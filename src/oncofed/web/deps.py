"""FastAPI dependencies shared by every route: the database, the caller (actor), the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from oncofed.domain import Actor
from oncofed.store.db import Database

# Bounds of paging and id parameters: offset = (page - 1) * size must stay a 64-bit integer for
# SQLite and PostgreSQL, or a huge page number becomes a server error instead of an empty page.
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_actor(request: Request) -> Actor:
    """The caller. Until authentication lands every request is public; auth replaces this resolver."""
    resolver = getattr(request.app.state, "actor_resolver", None)
    if resolver is not None:
        actor: Actor = resolver(request)
        return actor
    return Actor.public()


def get_lang(request: Request) -> str:
    lang: str = getattr(request.state, "lang", "en")
    return lang


# Parameter types shared by routes (one declaration of the bounds, used as `db: Db`, `actor: Caller`,
# `case_id: RowId`).
Db = Annotated[Database, Depends(get_db)]
Caller = Annotated[Actor, Depends(get_actor)]
Lang = Annotated[str, Depends(get_lang)]
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
