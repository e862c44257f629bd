"""A drug named by what it does: "drugs known to cause neuropathy", "medications that may induce hepatotoxicity",
"agents associated with a risk of bleeding" (verdicts36).

The effect names the drugs, never a condition of the patient: read literally, "Concurrent chemotherapy with
another drug known to cause neuropathy (CDDP or CBDCA or oxaliplatin)" excluded a patient with a grade-1
neuropathy or a diabetic polyneuropathy, and its generic "chemotherapy" excluded a patient on gemcitabine.
Here (1) the condition atoms read inside the effect phrase are dropped (what the drugs do, not what the patient
has), and (2) where a parenthesised list of drugs follows the phrase, the class the phrase qualifies ("chemotherapy
with another drug known to ...") is dropped for the drugs listed, which take its "current" ("concurrent") and its
group. Therapy atoms inside the phrase stay ("drugs known to prolong the QT interval" is a class of the
vocabulary). Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_THERAPY = {"prior_therapy", "prior_lines", "medication"}
_DRUG = r"\b(?:drugs?|medications?|medicines?|medicinal\s+products?|agents?|compounds?|substances?)"
# a therapy noun names a class by its effect only with a modal cue: "chemotherapy causing neuropathy" may be the
# patient's own event ("prior therapy causing grade 2 neuropathy"), "therapies known to cause" is not
_THERAPY_NOUN = r"\b(?:therap(?:y|ies)|treatments?|chemotherap(?:y|ies))"
_VERB = (
    r"(?:cause|causes|causing|induce|induces|inducing|produce|produces|producing|provoke|provokes|provoking|"
    r"worsen|worsens|worsening|aggravate|aggravates|aggravating|exacerbate|exacerbates|exacerbating|"
    r"lead\s+to|leads\s+to|leading\s+to|result\s+in|results\s+in|resulting\s+in)"
)
_THAT = r"(?:(?:that|which)\s+(?:are\s+|is\s+)?)?"
_MODAL = (
    r"(?:(?:(?:well[\s-])?known|likely|reported|shown|expected|suspected|documented|recogni[sz]ed)\s+to\s+"
    rf"(?:have\s+been\s+)?{_VERB}|(?:can|could|may|might)\s+{_VERB}"
    r"|(?:well[\s-])?known\s+to\s+be\s+associated\s+with(?:\s+(?:a|an|the)?\s*(?:high\s+|increased\s+)?risk\s+of)?"
    r"|with\s+(?:a|an)\s+known\s+(?:risk|potential)\s+(?:of|for))"
)
# without a modal, a participle ("drugs causing X") or a relative ("drugs that cause X"): a finite verb ("the study
# drug causes side effects in women with DCIS") states a fact of the study, no class of drugs
_PARTICIPLE = (
    r"(?:causing|inducing|producing|provoking|worsening|aggravating|exacerbating|leading\s+to|resulting\s+in)"
)
_RISK = (
    r"(?:(?:frequently\s+|commonly\s+)?associated\s+with(?:\s+(?:a|an|the)?\s*(?:high\s+|increased\s+)?risk\s+of)?"
    r"|with\s+(?:a|an)\s+(?:high\s+|increased\s+)?(?:risk|potential)\s+(?:of|for))"
)
_PLAIN = (
    rf"(?:that|which)\s+(?:(?:are|is)\s+)?(?:(?:often|commonly|frequently)\s+)?(?:{_VERB}|{_RISK})"
    rf"|{_PARTICIPLE}|{_RISK}"
)
# "drugs known to cause X", "drugs that are known to induce X", "medications which may cause X", "agents causing X",
# "drugs associated with (a risk of) X", "therapies known to cause X": the phrase from the noun to the end of its
# clause (before a parenthesis, a semicolon, a comma or a full stop)
_EFFECT = compile_i(
    rf"(?:{_DRUG}\s+(?:{_THAT}{_MODAL}|{_PLAIN})|{_THERAPY_NOUN}\s+{_THAT}{_MODAL})\b[^(;,.]*"
)
# the drugs the phrase names, after it: "(CDDP or CBDCA or oxaliplatin)", "(e.g. cisplatin, oxaliplatin)",
# ", such as oxaliplatin or cisplatin"
_LIST_AFTER = compile_i(
    r"\s*(?:\((?P<p>[^()]{2,160})\)|,?\s*(?:such\s+as|e\.\s?g\.,?|for\s+(?:example|instance),?|including|like)"
    r"\s+(?P<e>[^;()]{2,160}?)(?:[;()]|\.(?:\s|$)|$))"
)
# between the class and the drug noun: "chemotherapy with another drug", "treatment using any other agent"
_JOIN = compile_i(
    r"^\s*(?:(?:in\s+combination\s+)?with|using|including|by|of|involving)\s+(?:an?\s+|any\s+|the\s+)?"
    r"(?:other\s+|another\s+|additional\s+)?$"
)


def drug_effects(atoms: list[Atom], text: str) -> list[Atom]:
    """The atoms of a line naming drugs by their effect (module docstring)."""
    if not atoms or not any(w in text.lower() for w in (" to ", "caus", "induc", "associated", "risk")):
        return atoms
    phrases = [m for m in _EFFECT.finditer(text)]
    if not phrases:
        return atoms
    out = [
        a
        for a in atoms
        if a.kind in _THERAPY or not (a.span and any(m.start() <= a.span[0] < m.end() for m in phrases))
    ]
    for n, m in enumerate(phrases):
        listed = _LIST_AFTER.match(text, m.end())
        if not listed:
            continue
        at = "p" if listed.group("p") else "e"
        drugs = [
            a
            for a in out
            if a.kind == "prior_therapy" and a.span and listed.start(at) <= a.span[0] < listed.end(at)
        ]
        if not drugs:
            continue
        heads = [
            a
            for a in out
            if a.kind == "prior_therapy"
            and a.span
            and a.span[1] <= m.start()
            and a not in drugs
            and _JOIN.match(text[a.span[1] : m.start()])
        ]
        head = heads[-1] if heads else None
        # the drugs listed are alternatives ("(oxaliplatin, cisplatin)": either excludes), current when the line
        # says the class or the phrase is ("concurrent chemotherapy with ...", "concomitant use of drugs ...")
        keep: dict[str, object] = {"group": f"effect{n}"}
        if head is not None:
            keep.update(
                {k: head.attributes[k] for k in ("current", "group", "stated_out") if k in head.attributes}
            )
        if _current(text, head.span[0] if head is not None and head.span else m.start()):
            keep["current"] = True
        out = [
            replace(a, attributes={**a.attributes, **keep}, negated=head.negated if head else a.negated)
            if a in drugs
            else a
            for a in out
            if a is not head
        ]
    return out


def _current(text: str, start: int) -> bool:
    """Whether the class is said to be current ("concurrent", "concomitant"), as criteria/conditions.py reads it
    (there, after this pass, from the words just before each therapy: too far for the listed drugs)."""
    from oncofed.criteria.conditions import current_before  # conditions imports the relations' modules

    return current_before(text, start)
