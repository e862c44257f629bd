"""A comprehensive cancer centre of the network."""

from __future__ import annotations

from dataclasses import dataclass, field

from oncofed.domain.geo import GeoPoint


@dataclass(frozen=True)
class Centre:
    id: str
    name: str
    city: str
    region: str
    latitude: float
    longitude: float
    short_name: str = ""
    postcode: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)
    website: str = ""

    @property
    def location(self) -> GeoPoint:
        return GeoPoint(self.latitude, self.longitude)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
