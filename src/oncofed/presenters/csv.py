"""CSV text of any table: the same rows as the JSON twin (the web wraps it as a download,
the CLI prints or writes it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: ("; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for k, v in row.items()}
        )
    return buf.getvalue()
