"""Imports every model module so Base.metadata knows every table (Alembic, tests).

Each area keeps its tables in `oncofed/store/models_<area>.py`; they are discovered here.
"""

import importlib
import pkgutil

import oncofed.store
from oncofed.store import models  # noqa: F401

for _info in pkgutil.iter_modules(oncofed.store.__path__):
    if _info.name.startswith("models_"):
        importlib.import_module(f"oncofed.store.{_info.name}")
