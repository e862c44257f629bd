"""HTTP entrypoint: JSON API under /api and HTML pages, both calling the same services."""
