"""CTML criteria compiled into tests on records: clinical keys (age, OncoTree diagnosis, gender, TMB)
and genomic objects (gene, protein change, variant category, CNV, signatures, structural variants)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from oncofed.matching.ctml.values import (
    CNV_MAP,
    GENOMIC_FIELDS,
    IGNORED_CLINICAL,
    IGNORED_GENOMIC,
    MMR_MAP,
    SIGNATURE_KEYS,
    STRUCTURED_SV_FROM,
    eq_test,
    equal,
    first_field,
    in_test,
    is_negate,
    parse_op,
    regex_test,
    report_date_of,
    str_eq_test,
    subtract,
    to_float,
)


@dataclass
class Cond:
    """One condition on one field of a record."""

    key: str  # trial key (upper case)
    fields: tuple[str, ...]  # sample fields, first present wins
    test: Callable[[Any], bool]
    trial_value: Any
    render: bool = True


@dataclass
class GenomicNode:
    """All conditions must hold on one genomic record; `exclusion` = no record may hold them."""

    conds: list[Cond]
    exclusion: bool
    applies: Callable[[dict[str, Any]], bool] = lambda clinical: True


@dataclass
class GenomicCriterion:
    source: dict[str, Any]
    nodes: list[GenomicNode]  # alternatives (structured / free-text SV), split by report date


@dataclass
class ClinicalCriterion:
    key: str
    trial_value: Any
    cond: Cond
    negate: bool


@dataclass
class Path_:
    clinical: list[ClinicalCriterion] = field(default_factory=list)
    genomic: list[GenomicCriterion] = field(default_factory=list)


class CriterionBuilder:
    def __init__(self, oncotree: dict[str, list[str]], as_of: date) -> None:
        self.oncotree = oncotree
        self.as_of = as_of

    # clinical -----------------------------------------------------------------------------------
    def clinical(self, criteria: dict[str, Any]) -> list[ClinicalCriterion]:
        out = []
        for raw_key in sorted(criteria):
            key = raw_key.upper()
            value = criteria[raw_key]
            if key in IGNORED_CLINICAL:
                continue
            if key == "AGE_NUMERICAL":
                out.append(ClinicalCriterion(raw_key, value, self._age(value), False))
                continue
            if key == "TMB_NUMERICAL":
                cond = self._numeric(key, ("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE",), value)
                out.append(ClinicalCriterion(raw_key, value, cond, False))
                continue
            plain, negate = is_negate(value)
            if key == "ONCOTREE_PRIMARY_DIAGNOSIS":
                names = set(self.oncotree.get(plain, [plain]))
                cond = Cond(key, ("ONCOTREE_PRIMARY_DIAGNOSIS_NAME",), in_test(names), plain)
            elif key == "GENDER":
                cond = Cond(key, ("GENDER",), eq_test(plain), plain)
            else:
                cond = Cond(key, (key,), eq_test(plain), plain)
            out.append(ClinicalCriterion(raw_key, value, cond, negate))
        return out

    def _age(self, value: Any) -> Cond:
        op, num = parse_op(str(value))
        whole, _, frac = num.partition(".")
        years = int(whole) if whole.isdigit() else 0
        months = round(float("0." + frac) * 12) if frac else 0
        cutoff = subtract(self.as_of, years, months)
        tests = {
            ">=": lambda b: b <= cutoff,
            ">": lambda b: b < cutoff,
            "<=": lambda b: b >= cutoff,
            "<": lambda b: b > cutoff,
            "==": lambda b: b == cutoff,
        }
        t = tests[op]
        return Cond(
            "AGE_NUMERICAL", ("BIRTH_DATE_INT", "BIRTH_DATE"), lambda b: b is not None and t(b), value
        )

    def _numeric(self, key: str, fields: tuple[str, ...], value: Any) -> Cond:
        op, num = parse_op(str(value))
        threshold = float(num)
        ops: dict[str, Callable[[float, float], bool]] = {
            ">=": lambda a, b: a >= b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            "<": lambda a, b: a < b,
            "==": lambda a, b: a == b,
        }
        f = ops[op]

        def test(v: Any) -> bool:
            x = to_float(v)
            return x is not None and f(x, threshold)

        return Cond(key, fields, test, value)

    # genomic ------------------------------------------------------------------------------------
    def genomic(self, criteria: dict[str, Any]) -> GenomicCriterion:
        base: list[Cond] = []
        exclusion = False
        sv = False
        gene: Any = None
        partner: Any = None
        is_signature = any(k.upper() in SIGNATURE_KEYS for k in criteria)
        for raw_key, value in criteria.items():
            key = raw_key.upper()
            if key in IGNORED_GENOMIC:
                continue
            plain, negate = is_negate(value)
            exclusion = exclusion or negate
            fields = GENOMIC_FIELDS.get(key, (key,))
            if key == "HUGO_SYMBOL":
                gene = plain
                base.append(Cond(key, fields, eq_test(plain), plain, render=not is_signature))
            elif key == "FUSION_PARTNER_HUGO_SYMBOL":
                partner = plain
                base.append(Cond(key, fields, eq_test(plain), plain))
            elif key == "VARIANT_CATEGORY":
                low = str(plain).lower()
                if low == "structural variation":
                    sv = True
                elif low == "copy number variation":
                    base.append(Cond(key, fields, lambda v: equal(v, "CNV"), plain))
                elif low == "any variation":
                    base.append(Cond(key, fields, lambda v: v in ("MUTATION", "CNV"), plain))
                else:
                    up = str(plain).upper()
                    base.append(Cond(key, fields, eq_test(up), plain))
            elif key == "WILDCARD_PROTEIN_CHANGE":
                prefix = str(plain)
                if not prefix.startswith("p."):
                    prefix = "p." + prefix
                rx = re.compile("^" + re.escape(prefix) + "[ACDEFGHIKLMNPQRSTVWY]$", re.IGNORECASE)
                base.append(Cond(key, fields, regex_test(rx), plain))
            elif key == "CNV_CALL":
                w = CNV_MAP.get(plain, plain)
                base.append(Cond(key, fields, eq_test(w), plain))
            elif key in ("MMR_STATUS", "MS_STATUS"):
                w = MMR_MAP.get(plain, plain)
                base.append(Cond(key, fields, eq_test(w), plain))
            elif key == "EXON":
                base.append(
                    Cond(
                        key,
                        fields,
                        str_eq_test(plain),
                        plain,
                    )
                )
            else:
                base.append(Cond(key, fields, eq_test(plain), plain))
        if not sv:
            return GenomicCriterion(criteria, [GenomicNode(base, exclusion)])
        # structural variants: free-text comment before 2018-12-01, structured partners after
        others = [c for c in base if c.key not in ("HUGO_SYMBOL", "FUSION_PARTNER_HUGO_SYMBOL")]
        category = Cond(
            "VARIANT_CATEGORY", ("VARIANT_CATEGORY",), lambda v: equal(v, "SV"), "Structural Variation"
        )
        rx = re.compile(
            rf"(.*\W{re.escape(str(gene))}\W.*)|(^{re.escape(str(gene))}\W.*)|(.*\W{re.escape(str(gene))}$)",
            re.IGNORECASE,
        )
        comment = Cond(
            "STRUCTURAL_VARIANT_COMMENT",
            GENOMIC_FIELDS["STRUCTURAL_VARIANT_COMMENT"],
            lambda v: isinstance(v, str) and bool(rx.match(v)),
            gene,
        )
        unstructured = GenomicNode(
            [*others, category, comment],
            exclusion,
            lambda clin: not _structured_era(clin),
        )
        structured = GenomicNode(
            [*others, category, self._partner_cond(gene, partner)],
            exclusion,
            _structured_era,
        )
        return GenomicCriterion(criteria, [unstructured, structured])

    @staticmethod
    def _partner_cond(left: Any, right: Any) -> Cond:
        def side_test(side: Any) -> Callable[[Any], bool] | None:
            if side is None:
                return None
            s = str(side)
            if s.lower() == "intergenic":
                return lambda v: v is None or v == ""
            if s.lower().replace(" ", "_") == "any_gene":
                return lambda v: v is not None and v != ""
            return lambda v: equal(v, s)

        lt, rt = side_test(left), side_test(right)
        lf, rf = GENOMIC_FIELDS["LEFT_PARTNER_GENE"], GENOMIC_FIELDS["RIGHT_PARTNER_GENE"]

        def test(doc: Any) -> bool:
            _, lv = first_field(doc, lf)
            _, rv = first_field(doc, rf)
            forward = (lt is None or lt(lv)) and (rt is None or rt(rv))
            backward = (lt is None or lt(rv)) and (rt is None or rt(lv))
            return forward or backward

        return Cond("STRUCTURED_SV", ("__doc__",), test, f"{left}-{right}")


def _structured_era(clinical: dict[str, Any]) -> bool:
    rd = report_date_of(clinical)
    return rd is not None and rd >= STRUCTURED_SV_FROM
