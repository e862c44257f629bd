"""Negation, historical, hypothetical and uncertainty context with medspaCy's ConText.

Public API (the patient-profile extractor reuses it on clinical notes):

    modifiers(text, spans) -> list[Context]          # one Context per (start, end) character span
    modifiers_many(items) -> list[list[Context]]     # batched with nlp.pipe: [(text, spans), ...]
    pipeline() -> spacy.Language                     # the loaded pipeline (cached once per process)

`Context(negated, historical, hypothetical, uncertain, family, triggers)`; `triggers` lists the
(category, start, end) character spans of the ConText modifiers that apply (for evidence display).

Rules: medspaCy's default ConText phrase rules (see `_default_literal_rules`) plus `resources/vocab/context_rules.json` (criteria wording:
"no prior", "naive to", "negative pregnancy test", "history of", "if", ...). The pipeline is a blank
English tokenizer + ConText only: the targets are the caller's spans (put in a span group so they may
overlap), and each text is one sentence, so no sentence splitter or target matcher runs.

Speed: ConText is only run on texts that contain at least one trigger word (`has_trigger`) and where
some rule phrase can reach a target (`may_have_modifier`, a necessary condition checked on the text,
property-tested against ConText itself), because most criteria carry none and building spaCy Docs would
otherwise dominate (200 trials/s target); the pipeline's import-time objects are frozen out of the GC.
In the Docs, a sentence's final "." (a TERMINATE modifier that ends nothing there) is written as a space
(`_without_final_dot`) and ConText's `token.sent` is answered from the sentences set here
(`_hook_sentences`); both property-tested against ConText and spaCy on the text as written. The rule
matches come from medspaCy's matcher, and the graph (scopes, which modifier reaches which target) is
computed on token indices by `context_graph`, medspaCy's algorithm without its objects, whenever the
rules use only what it reads (else medspaCy's component runs); tests/test_criteria_context_graph.py.
"""

from __future__ import annotations

import bisect
import functools
import gc
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oncofed.criteria import context_graph
from oncofed.criteria.caseless import Caseless, compile_i, lowered
from oncofed.criteria.fast_regex import compile_fast
from oncofed.resources import resource_path

os.environ.setdefault("LOGURU_LEVEL", "WARNING")

GROUP = "oncofed_targets"
CHUNK = 4  # texts per Doc: fewer Docs vs ConText's modifier x target checks (4 measured fastest)


@dataclass(frozen=True)
class Context:
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    uncertain: bool = False
    family: bool = False
    triggers: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)


NO_CONTEXT = Context()


MEMO_SIZE = 50_000
# (sentence, target spans) -> ConText's answer: boilerplate criteria and a patient's repeated sentences
# recur; a sentence seen before costs a dict look-up instead of a spaCy Doc and ConText's graph
_MEMO: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[Context, ...]] = {}


def clear_memo() -> None:
    """Forget every remembered answer (benchmarks: what a note costs when none of its sentences was
    seen before)."""
    _MEMO.clear()


@functools.cache
def _rules() -> list[Any]:
    from medspacy.context import ConTextRule

    with resource_path("vocab/context_rules.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    return [ConTextRule(**r) for r in data["context_rules"]]


@functools.cache
def _default_literal_rules() -> list[Any]:
    """medspaCy's default ConText rules that are plain phrases (matched by spaCy's PhraseMatcher).

    The default token-pattern rules (55 of 102, written for clinical notes: "adequate to rule out",
    "not been ruled out"...) are left out: spaCy's token Matcher over them cost ~3 ms per criterion,
    20 times the rest of the parse, and criteria wording is covered by our own phrase rules.
    The ": no" / ": none" BACKWARD rules ("Fever: no") are left out too: the "no" of "Oncologist: no
    brain metastases" or "PET-CT: no distant metastasis" opens a FORWARD scope, and the BACKWARD rule,
    longer, won the overlap and left the finding affirmed. A finding followed by ": no" / ": none"
    is negated by the notes reader itself (`ingest.patients.notes.mentions`).
    """
    import medspacy
    from medspacy.context import ConTextRule

    path = Path(medspacy.__file__).resolve().parents[1] / "resources" / "en" / "context_rules.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return [
        ConTextRule(**r)
        for r in data["context_rules"]
        if not r.get("pattern") and r.get("literal", "").strip() not in _COLON_BACKWARD
    ]


_COLON_BACKWARD = {": no", ": none"}


@functools.cache
def pipeline() -> Any:
    """Blank English tokenizer + medspaCy ConText (default rules + oncofed rules); loaded once."""
    import spacy
    from medspacy.context import ConText  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    ctx = nlp.add_pipe(
        "medspacy_context",
        # span_attrs None: no `is_negated`-style span attributes are set (`_read` uses `_.modifiers`)
        config={"input_span_type": "group", "span_group_name": GROUP, "rules": None, "span_attrs": None},
    )
    ctx.add(_default_literal_rules() + _rules())  # type: ignore[attr-defined]
    _lexemes_lower_only(nlp)
    # Importing spaCy + medspaCy leaves ~300,000 long-lived objects (modules, functions, registries)
    # in the cyclic GC's oldest generation; each full collection during a parse run walked them all
    # (one full pass cost ~0.3 s, ~10% of parsing 500 trials). They live as long as the process,
    # so they are moved out of the GC's generations once loaded (as services.match does for its index).
    gc.collect()
    gc.freeze()
    young_collections_less_often()
    return nlp


# CPython collects its youngest generation after 700 net new container objects. The readers then keep
# some 20 objects a note in their bounded caches, and leave only a few in cycles (mypyc closures): a young
# collection every ~30 notes walked what the caches had just kept, and every tenth one the middle
# generation. Raised for the process that loads ConText (the one that reads notes or criteria): French
# notes read once ~1-2 % faster (two live workers paired note by note, speed30); the garbage waits at most
# this many objects, so memory stays bounded (docs/FRENCH.md, fourteenth pass).
YOUNG_GC_THRESHOLD = 10_000


def young_collections_less_often() -> None:
    """Raise the cyclic GC's youngest threshold to `YOUNG_GC_THRESHOLD` (never lower one set higher, nor
    switch on a collector someone switched off: threshold 0)."""
    young, middle, old = gc.get_threshold()
    if 0 < young < YOUNG_GC_THRESHOLD:
        gc.set_threshold(YOUNG_GC_THRESHOLD, middle, old)


def _lexemes_lower_only(nlp: Any) -> None:
    """Compute only LOWER, NORM and LANG for each new word the tokenizer meets (spaCy computes ~20
    lexical attributes, shape, like_url, like_num, is_stop..., in Python, once per new word: about a quarter
    of a fresh process's tokenizing of notes, whose words are mostly new to it: 0.124 -> 0.090 s for the
    214 benchmark notes; nothing once the words are known). Nothing here reads the
    others: ConText's PhraseMatcher matches on LOWER (`phrase_matcher_attr`, all rules are literal:
    `_phrase_words`), scopes are sentences set by `modifiers_many` (SENT_START), and the pipeline has
    no other component. Words the vocabulary already held (the rules') keep all their attributes."""
    from spacy.attrs import LANG, LOWER, NORM

    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, NORM, LANG) if attr in getters}


@functools.cache
def _trigger_words() -> list[str]:
    """Every literal/pattern word that can start a ConText modifier (lower-case)."""
    words: set[str] = set()
    ctx = pipeline().get_pipe("medspacy_context")
    for rule in ctx.rules:
        if rule.category == "TERMINATE":
            continue
        if rule.pattern:
            first = rule.pattern[0] if isinstance(rule.pattern, list) else None
            lower = first.get("LOWER") if isinstance(first, dict) else None
            if isinstance(lower, str):
                words.add(lower)
            elif isinstance(lower, dict):
                words.update(w for w in lower.get("IN", []) if isinstance(w, str))
            else:
                words.update(rule.literal.lower().split()[:1])
        else:
            words.update(rule.literal.lower().split()[:1])
    return sorted(w for w in words if w)


def _trie_alternation(words: Iterable[str]) -> str:
    """A regex matching exactly the strings `words`, factored by common prefix ("n(?:aive|e(?:gative|ver)|o...)").

    The same language as the plain alternation "naive|negative|never|no...", so a search finds a match
    at the same places; `re` tries a plain alternation's ~60 words one by one at each word start, the
    factored one a first letter then only the words that share it (has_trigger ~1.3x faster)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@functools.cache
def _trigger_re() -> Caseless:
    """A regex of every word that can start a ConText modifier (cheap pre-filter)."""
    alternation = _trie_alternation(_trigger_words())
    return compile_i(rf"(?<![\w-])(?:{alternation})(?![\w])|\bnon-|\bun\w+ed\b")


@functools.cache
def _trigger_lowered() -> re.Pattern[str] | None:
    """`_trigger_re()`'s lowered search (`Caseless`) compiled to open with a character set
    (`fast_regex.compile_fast`: the same matches, found without trying the pattern at every position)."""
    caseless = _trigger_re()
    plain = caseless.plain
    return None if caseless.lowered is None else compile_fast(plain.pattern, plain.flags & ~re.IGNORECASE)


def has_trigger(text: str) -> bool:
    caseless, fast = _trigger_re(), _trigger_lowered()
    if fast is not None and caseless._fast(
        text
    ):  # `Caseless.search` finds a match iff its lowered search does
        return fast.search(lowered(text)) is not None
    return caseless.search(text) is not None


def trigger_starts(text: str) -> list[int] | None:
    """The starts of `has_trigger`'s matches in `text` (a whole note, searched once), or None when the rules'
    trigger words hold a character other than a word character, "-" or "/".

    For a sentence `text[a:b]` that white space (or the text's ends) surrounds, and that ends after its
    last character that is no such character (`notes.text.sentences`: a sentence ends at a line end or
    right after ".", "!", "?"), `has_trigger(text[a:b])` is whether a start lies in [a, b): every match
    is made of those characters only ("h/o", "non-", "untreated"), so none crosses the sentence's bounds,
    and the pattern's lookarounds see white space, a closing quote or bracket, or nothing, beyond them:
    the same answers. One search of the note instead of one a sentence (`modifiers_many`'s `triggered`)."""
    if not all(_SAFE_TRIGGER.fullmatch(word) for word in _trigger_words()):
        return None
    caseless, fast = _trigger_re(), _trigger_lowered()
    if fast is not None and caseless._fast(text):
        return [m.start() for m in fast.finditer(lowered(text))]
    return [m.start() for m in caseless.finditer(text)]


_SAFE_TRIGGER = re.compile(r"[\w/-]+")
_Rules = dict[str, tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]]


@functools.cache
def _phrase_words() -> tuple[_Rules, tuple[str, ...]] | None:
    """Rules whose modifiers can apply to a target, by longest token, and the special cases that split words.

    Each rule: (phrase, phrase between word boundaries, direction). The tokens are lower-case,
    tokenised as medspaCy builds the PhraseMatcher pattern (the pipeline's tokenizer); in a Doc,
    consecutive tokens are separated by nothing or one space (more whitespace is a token of its
    own; a newline becomes a space before spaCy sees the text), so a match is the tokens joined by
    at most one whitespace character. spaCy's English affix rules never split between two letters,
    so a match is also not inside a run of letters, except in a tokenizer special case that yields
    one of the rule tokens ("cannot" -> "can" + "not"): those are returned, lower-cased, and a text
    holding one is checked without the boundaries. TERMINATE / PSEUDO modifiers never apply to a
    target (`ConTextModifier.modifies`). None when the rules cannot be checked this way
    (token-pattern rules, non-ASCII tokens).
    """
    from spacy.attrs import ORTH

    nlp = pipeline()
    out: dict[str, dict[str, tuple[re.Pattern[str], re.Pattern[str], str]]] = {}
    tokens: set[str] = set()
    for rule in nlp.get_pipe("medspacy_context").rules:
        direction = rule.direction.upper()
        if direction in ("TERMINATE", "PSEUDO"):
            continue
        if rule.pattern:
            return None
        words = [t.lower_ for t in nlp.tokenizer(rule.literal)]
        if not words or not all(w.isascii() for w in words):
            return None
        tokens.update(words)
        phrase = r"\s?".join(re.escape(w) for w in words)
        bounded = phrase + (r"(?![a-z])" if words[-1][-1:].isalpha() else "")
        if words[0][:1].isalpha():  # the look-behind after the first letter keeps a literal prefix
            first = re.escape(words[0][0])
            bounded = first + rf"(?<![a-z]{first})" + bounded[len(first) :]
        rules = out.setdefault(max(words, key=len), {})
        rules[phrase + " " + direction] = (re.compile(phrase), re.compile(bounded), direction)
    specials = {
        case.lower()
        for case, parts in nlp.tokenizer.rules.items()
        if len(parts) > 1 and any(str(part[ORTH]).lower() in tokens for part in parts)
    }
    by_key = {key: tuple(rules[k] for k in sorted(rules)) for key, rules in sorted(out.items())}
    return by_key, tuple(sorted(specials))


_SPACE, _NON_SPACE = re.compile(r"\s"), re.compile(r"\S")


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the spaCy tokens a target `[start, end)` expands to.

    spaCy's tokenizer never puts whitespace and other characters in one token, so the tokens that
    hold the span's first and last characters stop where that character's run of (non-)whitespace
    stops (`\\s` is `str.isspace`, as in spaCy).
    """
    after = (_NON_SPACE if text[end - 1].isspace() else _SPACE).search(text, end)
    first_space = text[start].isspace()
    s = start
    while s > 0 and text[s - 1].isspace() == first_space:
        s -= 1
    return s, after.start() if after else len(text)


def rule_keys_in(texts: Iterable[str]) -> tuple[str, ...] | None:
    """The rule keys (`_phrase_words`) found in any of `texts` lower-cased: `may_have_modifier(text, spans,
    keys)` of one of them then tests only these (a key absent from all is absent from each: one look-up a
    key for a note's sentences instead of one a sentence). None when the rules cannot be checked so."""
    found_rules = _phrase_words()
    if found_rules is None:
        return None
    joined = "\n".join(text.lower() for text in texts)
    return tuple(key for key in found_rules[0] if key in joined)


def may_have_modifier(
    text: str, spans: Sequence[tuple[int, int]], keys: tuple[str, ...] | None = None
) -> bool:
    """False when ConText cannot modify any of the target `spans` of the one-sentence `text`.

    A necessary condition, checked on the lower-cased text instead of building a spaCy Doc: spaCy's
    PhraseMatcher (attr LOWER) only matches a rule where its tokens occur in a row (`_phrase_words`);
    a FORWARD modifier only reaches targets that end after it, a BACKWARD one targets that start
    before it (medspaCy's scopes, `ConTextModifier.modifies`). `keys`: `rule_keys_in` of texts
    that include `text` (the rules of other keys are not looked for).
    """
    found_rules = _phrase_words()
    if found_rules is None:
        return True
    rules, specials = found_rules
    low = text.lower()
    # positions are compared only when lower-casing kept every offset and every span is proper
    ordered = len(low) == len(text) and all(0 <= s < e <= len(text) for s, e in spans)
    bounds: list[int] = []  # first target start, last target end (computed when first needed)

    def hit(phrase: re.Pattern[str], direction: str) -> bool:
        if not ordered or direction not in ("FORWARD", "BACKWARD"):
            return phrase.search(low) is not None
        if not bounds:
            widened = [_token_bounds(text, s, e) for s, e in spans]
            bounds.extend((min(b[0] for b in widened), max(b[1] for b in widened)))
        if direction == "FORWARD":  # a match that starts before the last target's end
            m = phrase.search(low)
            return m is not None and m.start() < bounds[1]
        return phrase.search(low, bounds[0]) is not None  # BACKWARD: at/after the first target's start

    loose_hit = False
    for key in rules if keys is None else keys:
        if key not in low:  # cheap first test: the rule's longest token
            continue
        for loose, strict, direction in rules[key]:
            if hit(strict, direction):
                return True
            loose_hit = loose_hit or hit(loose, direction)
    # a match inside a run of letters counts only where a tokenizer special case splits the run
    return loose_hit and any(case in low for case in specials)


@functools.cache
def _native() -> bool:
    """Whether ConText's graph is computed by `context_graph`: the rules use only what it reads, and the
    component holds its rule matcher where medspaCy 1.3 keeps it (`_MATCHER`)."""
    ctx = pipeline().get_pipe("medspacy_context")
    return hasattr(ctx, _MATCHER) and context_graph.supported(ctx)


_MATCHER = "_ConText__matcher"  # medspaCy's `ConText.__matcher` (private: its rules' MedspacyMatcher)


def _read_matches(
    doc: Any,
    base: int,
    found: Sequence[tuple[Any, int, int]],
    bounds: tuple[list[int], list[int]] | None = None,
) -> Context:
    """The Context of a target modified by `found` (rule, start token, end token), `_read`'s answer;
    `bounds`: the Doc's token offsets and lengths (`_token_arrays`), else read from its tokens."""
    triggers = []
    flags = dict.fromkeys(_FLAGS, False)
    for rule, s, e in found:
        category = rule.category
        if category in flags:
            flags[category] = True
        if bounds is None:
            last = doc[e - 1]
            triggers.append((category, doc[s].idx - base, last.idx + len(last) - base))
        else:
            idx, lengths = bounds
            triggers.append((category, idx[s] - base, idx[e - 1] + lengths[e - 1] - base))
    return Context(
        negated=flags["NEGATED_EXISTENCE"],
        historical=flags["HISTORICAL"],
        hypothetical=flags["HYPOTHETICAL"],
        uncertain=flags["POSSIBLE_EXISTENCE"],
        family=flags["FAMILY"],
        triggers=tuple(triggers),
    )


_FLAGS = ("NEGATED_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "POSSIBLE_EXISTENCE", "FAMILY")


def _read(span: Any, base: int = 0, modifiers: Sequence[Any] | None = None) -> Context:
    """The Context of a target `span` from medspaCy's `ConTextModifier`s (its `span._.modifiers` unless
    given): `_read_matches`'s answer."""
    if span is None:
        return NO_CONTEXT
    if modifiers is None:
        modifiers = span._.modifiers
    return _read_matches(span.doc, base, [(mod.rule, *mod.modifier_span) for mod in modifiers])


@functools.cache
def _dot_rule_alone() -> bool:
    """Whether the only ConText rule that holds a "." is the TERMINATE rule "." (and no rule is a token
    pattern): the premise of `_without_final_dot`."""
    rules = pipeline().get_pipe("medspacy_context").rules
    return not any(r.pattern for r in rules) and [
        (r.literal, r.direction) for r in rules if "." in r.literal
    ] == [(".", "TERMINATE")]


@functools.lru_cache(maxsize=8192)
def _dot_split_off(word: str) -> bool:
    """Whether spaCy's tokenizer cuts `word`, which ends with ".", into the tokens of `word[:-1]` and a
    "." token of its own (not so for "etc.", "Dr.", "dL.", "x.": special cases and suffix rules)."""
    tokenizer = pipeline().tokenizer
    whole = [t.text for t in tokenizer(word)]
    return len(whole) > 1 and whole[-1] == "." and [t.text for t in tokenizer(word[:-1])] == whole[:-1]


def _without_final_dot(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with its final "." written as a space when that gives ConText the same answer for `spans`.

    A sentence's final "." is a TERMINATE modifier (medspaCy's rules) that only ends, at the sentence's
    end, the scopes of the modifiers before it: on text cut into sentences, ConText's graph of modifiers
    then holds one more modifier a sentence, compared with every other one of the Doc (`update_scopes`)
    and with every target (`apply_modifiers`); about 40 % of the modifiers of a note's sentences. Written
    as a space (the same length: every character offset is kept), the "." token is gone and every other
    token is the same (spaCy tokenizes each run of non-space characters on its own, and the space joins
    the white space after it), provided the tokenizer did cut it off alone (`_dot_split_off`); a
    forward scope then ends at the sentence's end instead of the "." (nothing but white space between),
    and no target may hold the "." (all its characters before it). No rule other than "." holds a ".".
    Property-tested against ConText on the text as written (tests/test_criteria_context_final_dot.py).
    """
    last = len(text) - 1
    if (
        last < 1
        or text[last] != "."
        or not _dot_rule_alone()
        or not all(0 <= s < e <= last for s, e in spans)
        or not _dot_split_off(text.rsplit(None, 1)[-1])
    ):
        return text
    return text[:last] + " "


def _hook_sentences(doc: Any, firsts: list[int]) -> None:
    """Give `doc` a `Token.sent` hook (spaCy's `Doc.user_token_hooks`) answering from `firsts`, the sorted
    indices of the tokens that start a sentence (SENT_START 1, every other token -1; token 0 among them).

    ConText asks each modifier's `token.sent` for its scope (`ConTextModifier.__set_scope`); spaCy then
    slices a one-token Span, walks the SENT_START flags both ways and slices the sentence (a Python
    slice check each time); here the Doc's few sentences are sliced once and a modifier's is found by
    bisection. The same Span: spaCy's walk stops at the last start at or before the token and at the
    next start after it (or the Doc's end). Property-tested against spaCy's own `token.sent`
    (tests/test_criteria_context_final_dot.py)."""
    ends = [*firsts[1:], len(doc)]
    spans = [doc[a:b] for a, b in zip(firsts, ends, strict=True)]
    doc.user_token_hooks["sent"] = lambda token: spans[bisect.bisect_right(firsts, token.i) - 1]


def _first_tokens(idx: list[int], offsets: list[int]) -> list[int]:
    """The indices of the tokens whose character offset (`idx`, increasing) is one of `offsets`
    (increasing), and token 0: the sentence starts of a Doc of texts joined at `offsets`."""
    firsts = [0]
    n = len(idx)
    for offset in offsets:
        k = bisect.bisect_left(idx, offset)
        if k < n and idx[k] == offset and k != firsts[-1]:
            firsts.append(k)
    return firsts


def _token_arrays(doc: Any) -> tuple[list[int], list[int]]:
    """The character offset and the length of each token of `doc` (two lists, one `to_array` call)."""
    from spacy.attrs import IDX, LENGTH

    if not len(doc):
        return [], []
    columns = doc.to_array([IDX, LENGTH]).T.tolist()
    return columns[0], columns[1]


def _expanded(idx: list[int], lengths: list[int], size: int, start: int, end: int) -> tuple[int, int] | None:
    """The tokens [first, last + 1) of `Doc.char_span(start, end, alignment_mode="expand")` from the Doc's
    token offsets and lengths (`size`: its text's length), or None where spaCy gives no span or an empty
    one (the caller then asks spaCy). spaCy 3.7's own steps: the token holding a character is the one whose
    text and trailing white space hold it (`token_by_char`: tokens tile the text, so it is the last token
    starting at or before it); the span's start moves past a token whose trailing white space it starts in."""
    if not (0 <= start < size and 0 < end <= size):
        return None
    first = bisect.bisect_right(idx, start) - 1
    last = bisect.bisect_right(idx, end - 1) - 1
    if first < 0 or last < 0:
        return None
    if start == idx[first] + lengths[first]:
        first += 1
    return (first, last + 1) if first <= last else None


def modifiers_many(
    items: Iterable[tuple[str, Sequence[tuple[int, int]]]],
    triggered: Sequence[bool] | None = None,
    keys: Sequence[tuple[str, ...]] | None = None,
) -> list[list[Context]]:
    """ConText for each (text, spans) item; texts without any trigger word skip the pipeline (`triggered`:
    whether each text has one, when the caller knows it: `trigger_starts`; else `has_trigger` says), and so do
    texts where no rule can modify a target (`may_have_modifier`; `keys`: for each text, rule keys that hold
    every rule whose phrase may occur in it, when the caller knows them: `notes.triggers.rule_keys_within`;
    else `rule_keys_in` of the texts asked).

    The texts that need ConText are joined into one Doc, each text one sentence (ConText never looks
    across a sentence), so spaCy's per-Doc overhead is paid once per CHUNK criteria (more would make ConText's modifier-target graph grow
    quadratically).
    """
    items = list(items)
    out: list[list[Context]] = [[NO_CONTEXT] * len(spans) for _, spans in items]
    asked = []
    for i, (text, spans) in enumerate(items):
        if not spans or not (has_trigger(text) if triggered is None else triggered[i]):
            continue
        hit = _MEMO.get((text, tuple(spans)))
        if hit is not None:
            out[i] = list(hit)  # boilerplate criteria recur across trials: same text, same answer
        else:
            asked.append(i)
    if keys is None:
        present = rule_keys_in(items[i][0] for i in asked) if len(asked) > 1 else None
        todo = [i for i in asked if may_have_modifier(items[i][0], items[i][1], present)]
    else:
        todo = [i for i in asked if may_have_modifier(items[i][0], items[i][1], keys[i])]
    # else no rule can modify a target: nothing to apply
    if not todo:
        return out
    nlp = pipeline()
    ctx = nlp.get_pipe("medspacy_context")
    native = _native()
    matcher: Any = getattr(ctx, _MATCHER, None)
    rule_map: Any = matcher.rule_map if native else {}
    strings: Any = nlp.vocab.strings
    for chunk_start in range(0, len(todo), CHUNK):
        chunk = todo[chunk_start : chunk_start + CHUNK]
        offsets = []
        parts = []
        pos = 0
        for i in chunk:
            text = _without_final_dot(items[i][0].replace("\n", " "), items[i][1])
            offsets.append(pos)
            parts.append(text)
            pos += len(text) + 2
        joined = "\n\n".join(parts)
        doc = nlp.make_doc(joined)
        bounds = _token_arrays(doc)
        idx, lengths = bounds
        firsts = _first_tokens(idx, offsets) if len(doc) else [0]
        targets_of = []
        group = []
        # in the native graph a target is its tokens and characters (`_expanded`, the spans spaCy's
        # `char_span` would make, without making them); a Span only where spaCy must say (none on the notes)
        for i, base in zip(chunk, offsets, strict=True):
            targets: list[Any] = []
            for start, end in items[i][1]:
                span: Any = None
                if native and (tokens := _expanded(idx, lengths, len(joined), base + start, base + end)):
                    a, b = tokens
                    span = (a, b, idx[a], idx[b - 1] + lengths[b - 1])
                else:
                    found_span = doc.char_span(
                        base + start, base + end, label="TARGET", alignment_mode="expand"
                    )
                    if found_span is not None:
                        span = (found_span.start, found_span.end, found_span.start_char, found_span.end_char)
                        if not native:
                            span = found_span
                targets.append(span)
                if span is not None:
                    group.append(span)
            targets_of.append((i, base, targets))
        # each target's modifiers, as medspaCy adds them to `span._.modifiers` (keyed like spaCy's extension
        # data by the span's characters, in the order of its graph's edges)
        modifiers_of: dict[tuple[int, int], list[Any]] = {}
        if native:  # the graph on token indices (`context_graph`), the matches from medspaCy's matcher
            matches = [(rule_map[strings[m]], s, e) for m, s, e in matcher(doc)]
            found_edges = context_graph.edges(matches, firsts, len(doc), [(t[0], t[1]) for t in group])
            for t_index, m in found_edges:  # not `t`: below `t` is a target (mypyc types a name once)
                target = group[t_index]
                modifiers_of.setdefault((target[2], target[3]), []).append(matches[m])
        else:  # medspaCy's component; a sentence per text, ConText reading it through `token.sent`
            if len(doc):
                _hook_sentences(doc, firsts)
            doc.spans[GROUP] = group
            ctx(doc)
            for target, modifier in doc._.context_graph.edges:
                modifiers_of.setdefault((target.start_char, target.end_char), []).append(
                    (modifier.rule, *modifier.modifier_span)
                )
        for i, base, targets in targets_of:
            answer = out[i]  # NO_CONTEXT each: a target without modifiers (or span) reads as NO_CONTEXT
            for k, t in enumerate(targets):
                if t is None:
                    continue
                key = (t[2], t[3]) if native else (t.start_char, t.end_char)
                if found := modifiers_of.get(key):
                    answer[k] = _read_matches(doc, base, found, bounds)
            if len(_MEMO) < MEMO_SIZE:
                _MEMO[(items[i][0], tuple(items[i][1]))] = tuple(out[i])
    return out


def modifiers(text: str, spans: Sequence[tuple[int, int]]) -> list[Context]:
    return modifiers_many([(text, spans)])[0]
