"""One module per user job. Plain functions over a Database / Session, returning domain objects."""
