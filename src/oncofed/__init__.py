"""oncofed: one platform for a network of comprehensive cancer centres."""

from oncofed import compiled

__version__ = "0.1.0"

compiled.install()  # the notes readers compiled by `make compile`, while they match their sources
