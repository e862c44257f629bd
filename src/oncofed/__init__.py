"""oncofed: one platform for a network of comprehensive cancer centres."""

__version__ = "0.1.0"
