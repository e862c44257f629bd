"""Running oncofed in production: backups and restores, table digests, the Spark path."""
