"""Activity units against factor units, with pint (a maintained units library) rather than a
hand-written table: kWh vs MWh, t vs kg, mL vs L, k€ vs € are converted; kWh vs kg is refused
with both dimensions named, never silently summed."""

from __future__ import annotations

import functools
import tokenize

import pint

from oncofed.errors import N_, InputError, part

ALIASES = {
    "m3": "m**3",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "k€": "kEUR",
    "keur": "kEUR",
    "pkm": "km",
    "passenger_km": "km",
    "passenger.km": "km",
    "p.km": "km",
    "litre": "L",
    "liter": "L",
    "l": "L",
}
DIMENSIONS = {
    "kWh": N_("energy"),
    "kg": N_("mass"),
    "L": N_("volume"),
    "km": N_("distance"),
    "EUR": N_("money"),
}


@functools.cache
def registry() -> pint.UnitRegistry:
    reg: pint.UnitRegistry = pint.UnitRegistry()
    reg.define("EUR = [currency]")
    return reg


def canonical(unit: str) -> str:
    text = unit.strip()
    return ALIASES.get(text, ALIASES.get(text.lower(), text))


def _dimension(units: pint.Unit) -> object:
    """The kind of quantity a unit measures, in words said in the reader's language (`errors.part`);
    pint's own notation ("[length] ** 2") when it is none of the known kinds."""
    reg = registry()
    dim = reg.get_dimensionality(units)
    for example, name in DIMENSIONS.items():
        if reg.get_dimensionality(example) == dim:
            return part(name)
    return str(dim)


@functools.cache
def conversion(from_unit: str, to_unit: str) -> float:
    """The multiplier taking a quantity in `from_unit` to `to_unit` (InputError when they differ in kind)."""
    reg = registry()
    try:
        src, dst = reg.parse_units(canonical(from_unit)), reg.parse_units(canonical(to_unit))
    # pint reads a unit with Python's tokenizer: an unbalanced bracket ("(kWh") is its TokenError (found
    # by bench_trust's importer fuzzing: the 'carbon activity' crash)
    except (pint.errors.UndefinedUnitError, AttributeError, TypeError, ValueError, AssertionError,
            tokenize.TokenError) as exc:  # fmt: skip
        bad = from_unit
        raise InputError(
            N_("unknown unit %(value)r"),
            field="unit",
            fix=N_("use kWh, MWh, kg, t, L, m3, km, EUR or k€ (the factor's unit or a convertible one)"),
            code="carbon.unit_unknown",
            params={"value": bad},
        ) from exc
    try:
        return float(reg.Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise InputError(
            N_("unit %(given)r (%(given_kind)s) does not match the factor's unit %(unit)r (%(unit_kind)s)"),
            field="unit",
            fix=N_("give the quantity in %(unit)s or a unit convertible to it"),
            code="carbon.unit_mismatch",
            params={
                "given": from_unit,
                "given_kind": _dimension(src),
                "unit": to_unit,
                "unit_kind": _dimension(dst),
            },
        ) from exc
