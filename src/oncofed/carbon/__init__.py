"""Carbon engines (issue 21): units, emission factor tables, footprints by scope and BEGES post.

Pure functions over `oncofed.domain.carbon` values; no store, no services."""
