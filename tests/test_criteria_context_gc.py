"""The process that loads ConText collects its youngest GC generation less often (issue 23 speed, speed30):
the threshold is raised once, never lowered, and a collector switched off stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from oncofed.criteria import context


@pytest.fixture
def threshold() -> Iterator[None]:
    kept = gc.get_threshold()
    yield
    gc.set_threshold(*kept)


@pytest.mark.usefixtures("threshold")
def test_loading_context_raises_the_young_threshold() -> None:
    gc.set_threshold(700, 10, 10)  # CPython's default
    context.young_collections_less_often()
    assert gc.get_threshold() == (context.YOUNG_GC_THRESHOLD, 10, 10)
    context.pipeline()  # loaded (or already loaded: the raise happened then, and holds)
    assert gc.get_threshold()[0] >= context.YOUNG_GC_THRESHOLD


@pytest.mark.usefixtures("threshold")
@pytest.mark.parametrize("young", [0, context.YOUNG_GC_THRESHOLD, 50_000])
def test_a_higher_threshold_or_a_collector_switched_off_is_kept(young: int) -> None:
    gc.set_threshold(young, 20, 30)
    context.young_collections_less_often()
    assert gc.get_threshold() == (young, 20, 30)


def test_the_readers_garbage_is_collected_at_the_raised_threshold() -> None:
    """Reading notes leaves few objects in cycles: a collection finds them (memory stays bounded)."""
    from oncofed.ingest.patients.notes import extract

    extract("Patiente de 58 ans. Pas de métastase cérébrale.", "warm", "note")
    gc.collect()
    for k in range(20):
        extract(f"Patiente de {40 + k} ans, adénocarcinome du sein. Pas de métastase cérébrale.", "n", "note")
    assert gc.collect() < 20 * 50  # a few objects a note at most, freed by one collection
