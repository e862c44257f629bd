"""Adapters to the operational store: SQLAlchemy models, repositories, Alembic migrations."""
