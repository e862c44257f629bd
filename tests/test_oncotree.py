"""One OncoTree module: everyone reads codes, names, lineage and subtrees from `criteria.oncotree`."""

from __future__ import annotations

import json

import pytest

from oncofed.criteria import oncotree, vocab
from oncofed.ingest.patients import common
from oncofed.matching import vocab as matching_vocab
from tests.conftest import shared_data

# Where the project's simplified tree (tissue -> main type -> subtype) puts a node under another
# parent than OncoTree does. Kept visible: a new divergence fails the test below.
KNOWN_DIVERGENCES = {
    "Invasive Breast Carcinoma": {"Inflammatory Breast Cancer", "Metaplastic Breast Cancer"},
    "Hepatocellular Carcinoma": {"Fibrolamellar Carcinoma"},
    "Diffuse Glioma": {"Low-Grade Glioma, NOS"},
    "Prostate Neuroendocrine Carcinoma": {"Prostate Small Cell Carcinoma"},
    "Peripheral Nervous System": {"Neuroblastoma"},
}


def test_every_reader_uses_the_one_module() -> None:
    assert vocab.oncotree_name is oncotree.shared_name and vocab.oncotree_parent is oncotree.shared_parent
    assert matching_vocab.oncotree_lineage is oncotree.lineage
    assert matching_vocab.oncotree_parents() is oncotree.parents()
    assert oncotree.lineage("LUAD") == ("LUAD", "NSCLC", "LUNG", "TISSUE")
    assert matching_vocab.has_oncotree_hierarchy()
    # a code only the extra list has: importers store its nearest shared ancestor
    assert common.oncotree_lookup("Lung Carcinoid") == ("LUNG", "LUCA")
    assert oncotree.name("LUCA") == "Lung Carcinoid" and oncotree.shared_name("LUCA") is None


def test_ctml_subtrees_cover_the_full_tree_solid_and_liquid() -> None:
    tree = oncotree.ctml_subtrees()
    assert {"Lung Adenocarcinoma", "Lung Carcinoid", "Large Cell Neuroendocrine Carcinoma"} <= set(
        tree["Lung"]
    )
    assert "Acute Myeloid Leukemia" in tree["_LIQUID_"] and "Acute Myeloid Leukemia" not in tree["_SOLID_"]
    assert "Lung Adenocarcinoma" in tree["_SOLID_"]
    assert not set(tree["_SOLID_"]) & set(tree["_LIQUID_"])


@pytest.mark.shared_data
def test_subtrees_agree_with_matchminers_oncotree_mapping() -> None:
    real = json.loads(shared_data("matchminer", "ref", "oncotree_mapping.json").read_text())
    ours = oncotree.ctml_subtrees()
    diverging = {}
    for name, names in ours.items():
        if name in real:
            theirs = set(real[name]) if isinstance(real[name], list) else {real[name]}
            extra = {n for n in names if n in real and n not in theirs}
            if extra:
                diverging[name] = extra
    assert diverging == KNOWN_DIVERGENCES
    assert sum(1 for n in ours if n in real) >= 170  # our names are OncoTree's names
