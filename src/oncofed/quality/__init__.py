"""Quality engine: care-pathway events, indicators as data computed with DuckDB, funnel-plot comparison."""
