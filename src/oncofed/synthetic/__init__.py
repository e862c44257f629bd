"""The project's own demo data: a seeded, fictional network (no external files)."""
