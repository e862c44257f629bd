"""Convert the hand-made YAML dictionaries (`resources/i18n/{en,fr}/*.yaml`, `t('key')`) to gettext.

Kept for the record and re-runnable (idempotent): whatever YAML entries and key-based call sites
remain are converted, so text added the old way by others is caught up by running it again:

    .venv/bin/python scripts/i18n_convert.py [--delete-yaml] [--only PATH ...]

1. Every YAML entry becomes a catalogue message: the English text is the msgid, the French text the
   msgstr of `resources/locale/fr/LC_MESSAGES/oncofed.po` (`{name}` -> `%(name)s`, `%` -> `%%`). When
   one English text has two French ones, the most used French text keeps the bare msgid and the others
   get a msgctxt (the key, or a name from CONTEXTS).
2. Call sites: in templates `t('key', ...)` -> `_('English', ...)` / `pgettext('ctx', 'English', ...)`,
   `t('prefix_' ~ code)` -> `label('prefix', code)`; in Python `translate(lang, 'key', ...)` ->
   `translator(lang).gettext('English', ...)`, `translate(lang, f'prefix_{code}')` ->
   `translator(lang).label('prefix', code)`. Each file is re-read right before it is rewritten.
   `{% from "x" import y %}` gets `with context` (the gettext callables read `lang` from it).
3. Codes' words (`label` groups) go to `presenters/labels.py` (merged with what is there), every key
   to `scripts/i18n_yaml_keys.tsv` (the record: key, msgctxt, msgid). A call the script cannot convert
   (a variable key, or a file left with --skip) is listed: convert it by hand; there is no runtime
   fallback for keys, and tests/test_i18n_catalogue.py fails while one is left.
4. It checks that every (key, language) text is reachable through the compiled catalogues, and only
   then, with `--delete-yaml`, deletes the YAML files.
5. It runs `pybabel extract` + `pybabel update` (docs/DEVELOPING.md, "Translations").
"""

from __future__ import annotations

import argparse
import ast
import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "oncofed"
YAML_DIR = SRC / "resources" / "i18n"
LOCALE_DIR = SRC / "resources" / "locale"
RECORD = ROOT / "scripts" / "i18n_yaml_keys.tsv"
LABELS_PY = SRC / "presenters" / "labels.py"
DOMAIN = "oncofed"
LANGS = ("en", "fr")

# msgctxt names for keys whose English text has another French translation elsewhere (else the key)
CONTEXTS = {
    "ops_status": "installation check",
    "b_status_closed": "tumour board",
    "ctml_closed": "trial arm",
    "b_kind": "tumour board event",
    "col_fact": "patient record",
    "b_site_near": "tumour board",
    "r_source_prescreen": "screen-failure source",
    "fed_kind": "pay element",
    "wd_kind": "fact correction",
    "page_prev": "page",
    "page_next": "page",
    "r_previous": "step",
    "r_next": "step",
    "kind_home": "address",
    "wd_home_title": "landing page",
    "wd_ps_tab_possible": "pre-screening tab",
    "trial_eligibility": "trial section",
    "ps_next": "screening status",
    "trials_next": "page",
    "r_sites": "research",
    "r_site": "research",
    "q_limits95": "chart legend",
    "q_limits998": "chart legend",
    "q_limit95": "funnel",
    "q_limit998": "funnel",
    "feas_run": "verb",
    "trials_q": "noun",
    "trials_search": "verb",
    "wd_search": "search button",
    "login_submit": "verb",
}
# label groups whose prefix is shared by other keys: the codes they really hold
GROUP_CODES: dict[str, list[str]] = {
    "q_": ["better", "worse"],
    "ps_": ["eligible", "possible", "not_eligible"],
}
GROUP_NAMES = {"q_": "q_assessment", "ps_": "ps_eligibility"}
# groups used from Python through variables (converted by hand), created even when no `t('p_' ~ x)` exists
EXTRA_GROUPS = ["match_o_", "st_", "wd_why_", "q_band_"]

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
JINJA_BLOCK = re.compile(r"{{.*?}}|{%.*?%}", re.S)
IMPORT_LINE = re.compile(r"{%-?\s*from\s+(['\"])[^'\"]+\1\s+import\s+[^%]*?\s*-?%}")


def to_gettext(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: f"%({m.group(1)})s", text.replace("%", "%%"))


def with_dummies(text: str) -> str:
    """A YAML text with its placeholders filled ("{n}" -> "<n>"), to compare with the catalogue's."""
    return PLACEHOLDER.sub(lambda m: f"<{m.group(1)}>", text)


# ---------------------------------------------------------------------------------------- reading


def read_yaml() -> dict[str, dict[str, str]]:
    """key -> {"en": text, "fr": text, "file": stem}, files and keys in order."""
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        folder = YAML_DIR / lang
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for key, value in data.items():
                entry = out.setdefault(str(key), {"file": path.stem})
                entry[lang] = str(value)
    for key, entry in out.items():
        entry.setdefault("en", entry.get("fr", key))
        entry.setdefault("fr", entry["en"])
    return out


def read_record() -> dict[str, tuple[str, str]]:
    if not RECORD.is_file():
        return {}
    with RECORD.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {r["key"]: (r["msgctxt"], r["msgid"]) for r in rows}


def write_record(record: dict[str, tuple[str, str]]) -> None:
    with RECORD.open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Former YAML keys (resources/i18n) and the gettext message each became (scripts/i18n_convert.py)\n"
        )
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["key", "msgctxt", "msgid"])
        for key in sorted(record):
            writer.writerow([key, *record[key]])


def load_catalog(lang: str) -> Catalog:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.is_file():
        with path.open("rb") as fh:
            return read_po(fh, locale=lang, domain=DOMAIN)
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        project="oncofed",
        version="0.1.0",
        copyright_holder="the oncofed contributors",
        msgid_bugs_address="",
        fuzzy=False,
    )


def save_catalog(lang: str, catalog: Catalog) -> None:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, sort_output=False)


# ----------------------------------------------------------------------------------- catalogues


def assign_messages(
    entries: dict[str, dict[str, str]], record: dict[str, tuple[str, str]], fr: Catalog
) -> dict[str, tuple[str, str]]:
    """(msgctxt, msgid) of each new key; a bare msgid when its French text agrees with the catalogue."""
    new = {k: v for k, v in entries.items() if k not in record}
    by_msgid: dict[str, list[str]] = defaultdict(list)
    for key, entry in new.items():
        by_msgid[to_gettext(entry["en"])].append(key)
    out: dict[str, tuple[str, str]] = {}
    french_of: dict[tuple[str, str], str] = {}  # (ctx, msgid) -> French, in this batch
    for msgid, keys in by_msgid.items():
        existing = fr.get(msgid)
        taken = existing.string if existing is not None and existing.string else None
        counts = Counter(to_gettext(new[k]["fr"]) for k in keys)
        bare = taken or counts.most_common(1)[0][0]
        for key in keys:
            french = to_gettext(new[key]["fr"])
            ctx = "" if french == bare else CONTEXTS.get(key, key)
            known = fr.get(msgid, context=ctx) if ctx else None
            if ctx and (
                (known is not None and known.string != french)
                or french_of.get((ctx, msgid), french) != french
            ):
                ctx = key  # the readable context already means another French text
            french_of[(ctx, msgid)] = french
            out[key] = (ctx, msgid)
    return out


def add_to_catalogues(entries: dict[str, dict[str, str]], assigned: dict[str, tuple[str, str]]) -> None:
    for lang in LANGS:
        catalog = load_catalog(lang)
        for key, (ctx, msgid) in assigned.items():
            if catalog.get(msgid, context=ctx or None) is None:
                string = to_gettext(entries[key]["fr"]) if lang == "fr" else ""
                catalog.add(msgid, string, context=ctx or None)
        save_catalog(lang, catalog)


# ----------------------------------------------------------------------------------- call sites


def matching_paren(text: str, start: int) -> int:
    """Index of the ')' closing the '(' at `start`, skipping quoted strings."""
    depth, i, quote = 0, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced parentheses from offset {start}")


def split_first_arg(args: str) -> tuple[str, str]:
    """('first argument', 'the rest, with its leading comma or empty')."""
    depth, quote = 0, ""
    i = 0
    while i < len(args):
        c = args[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return args[:i].strip(), args[i:]
        i += 1
    return args.strip(), ""


STRING = re.compile(r"""^(['"])([a-z][a-z0-9_]*)\1$""")
DYNAMIC_JINJA = re.compile(r"""^(['"])([a-z][a-z0-9_]*_)\1\s*~\s*(.+)$""", re.S)
DYNAMIC_PY = re.compile(r"""^f(['"])([a-z][a-z0-9_]*_)\{([^{}]+)\}\1$""")


def quoted(text: str) -> str:
    if "'" not in text and "\\" not in text:
        return f"'{text}'"
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def py_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def group_name(prefix: str) -> str:
    return GROUP_NAMES.get(prefix, prefix.rstrip("_"))


class Converter:
    def __init__(self, record: dict[str, tuple[str, str]]) -> None:
        self.record = record
        self.prefixes: set[str] = set(EXTRA_GROUPS)
        self.left: list[str] = []  # call sites not converted mechanically

    def message_call(self, key: str, rest: str, where: str, *, python: str = "") -> str | None:
        if key not in self.record:
            self.left.append(f"{where}: unknown key {key!r}")
            return None
        ctx, msgid = self.record[key]
        q = py_quoted if python else quoted
        head = f"{python}." if python else ""
        if ctx:
            return f"{head}pgettext({q(ctx)}, {q(msgid)}{rest})"
        return f"{head}gettext({q(msgid)}{rest})" if python else f"_({q(msgid)}{rest})"

    def template(self, text: str, where: str) -> str:
        def block(m: re.Match[str]) -> str:
            return self._template_block(m.group(0), where)

        text = JINJA_BLOCK.sub(block, text)
        return IMPORT_LINE.sub(
            lambda m: (
                m.group(0)
                if "with context" in m.group(0)
                else re.sub(r"\s*(-?%})$", r" with context \1", m.group(0))
            ),
            text,
        )

    def _template_block(self, block: str, where: str) -> str:
        out, i = [], 0
        for m in re.finditer(r"(?<![\w.])t\(", block):
            if m.start() < i:
                continue
            close = matching_paren(block, m.end() - 1)
            first, rest = split_first_arg(block[m.end() : close])
            rest = self._template_block(rest, where)  # a t() among the parameters
            replacement = None
            if s := STRING.match(first):
                replacement = self.message_call(s.group(2), rest, where)
            elif d := DYNAMIC_JINJA.match(first):
                prefix, code = d.group(2), d.group(3).strip()
                self.prefixes.add(prefix)
                replacement = f"label({quoted(group_name(prefix))}, {code}{rest})"
            else:
                self.left.append(f"{where}: t({first}...) (a variable key: convert by hand)")
            if replacement is not None:
                out.append(block[i : m.start()] + replacement)
                i = close + 1
        out.append(block[i:])
        return "".join(out)

    def python(self, text: str, where: str) -> str:
        if not re.search(r"from oncofed\.presenters\.i18n import[^\n]*\btranslate\b", text):
            return text
        text = self._python_calls(text, where)
        if not re.search(r"(?<![\w.])translate\(", text):
            text = re.sub(
                r"(from oncofed\.presenters\.i18n import[^\n]*)\btranslate\b(?!or)",
                lambda m: m.group(1) + "translator",
                text,
            )
            text = re.sub(r"(import[^\n]*)\btranslator, translator\b", r"\1translator", text)
        return text

    def _python_calls(self, text: str, where: str) -> str:
        out, i = [], 0
        for m in re.finditer(r"(?<![\w.])translate\(", text):
            if m.start() < i:
                continue
            close = matching_paren(text, m.end() - 1)
            lang, rest = split_first_arg(text[m.end() : close])
            first, rest = split_first_arg(rest[1:]) if rest else ("", "")
            rest = self._python_calls(rest, where)  # a translate() among the parameters
            head = f"translator({lang})"
            replacement = None
            if s := STRING.match(first):
                replacement = self.message_call(s.group(2), rest, where, python=head)
            elif d := DYNAMIC_PY.match(first):
                prefix, code = d.group(2), d.group(3).strip()
                self.prefixes.add(prefix)
                replacement = f"{head}.label({py_quoted(group_name(prefix))}, {code}{rest})"
            else:
                self.left.append(f"{where}: translate(.., {first}) (a variable key: convert by hand)")
            if replacement is not None:
                out.append(text[i : m.start()] + replacement)
                i = close + 1
        out.append(text[i:])
        return "".join(out)


def convert_files(converter: Converter, only: list[Path], skip: set[Path]) -> list[Path]:
    changed = []
    candidates = only or [
        *sorted(SRC.glob("**/templates/**/*.html")),
        *sorted(p for p in SRC.glob("**/*.py") if "migrations" not in p.parts),
    ]
    for path in candidates:
        if path.resolve() == LABELS_PY.resolve() or path.name == "i18n.py":
            continue
        if path.resolve() in skip:
            continue
        before = path.read_text(encoding="utf-8")  # re-read right before the edit
        where = str(path.relative_to(ROOT))
        after = (
            converter.template(before, where) if path.suffix == ".html" else converter.python(before, where)
        )
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(path)
    return changed


# ------------------------------------------------------------------------------- generated files


def read_labels() -> dict[str, dict[str, tuple[str, str]]]:
    if not LABELS_PY.is_file():
        return {}
    tree = ast.parse(LABELS_PY.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "LABELS":
            value = node.value
            break
    else:
        return {}
    out: dict[str, dict[str, tuple[str, str]]] = {}
    assert isinstance(value, ast.Dict)
    for gk, gv in zip(value.keys, value.values, strict=True):
        assert isinstance(gk, ast.Constant) and isinstance(gv, ast.Dict)
        group = out.setdefault(str(gk.value), {})
        for ck, cv in zip(gv.keys, gv.values, strict=True):
            assert isinstance(ck, ast.Constant) and isinstance(cv, ast.Call)
            args = [a.value for a in cv.args if isinstance(a, ast.Constant)]
            group[str(ck.value)] = (str(args[0]), str(args[1])) if len(args) == 2 else ("", str(args[0]))
    return out


def marker(ctx: str, msgid: str) -> str:
    return f"NP_({py_quoted(ctx)}, {py_quoted(msgid)})" if ctx else f"N_({py_quoted(msgid)})"


def write_labels(record: dict[str, tuple[str, str]], prefixes: set[str]) -> None:
    labels = read_labels()
    prefix_of = {name: prefix for prefix, name in GROUP_NAMES.items()}
    prefixes = prefixes | {prefix_of.get(group, group + "_") for group in labels}
    for prefix in sorted(prefixes):
        group = labels.setdefault(group_name(prefix), {})
        codes = GROUP_CODES.get(prefix) or [k[len(prefix) :] for k in record if k.startswith(prefix)]
        for code in codes:
            if prefix + code in record and code not in group:
                group[code] = record[prefix + code]
    lines = [
        '"""Words for the codes pages show (statuses, roles, bands, reasons, ...): English source text',
        "marked for extraction, translated where shown by `label(group, code)` in templates and",
        "`translator(lang).label(group, code)` in Python. Started by scripts/i18n_convert.py from the former",
        'YAML keys (group = key prefix); add a code here, then `make i18n` and its French in the .po file."""',
        "",
        "from __future__ import annotations",
        "",
        "from oncofed.presenters.i18n import N_, NP_, Message",
        "",
        "LABELS: dict[str, dict[str, Message]] = {",
    ]
    for group in sorted(labels):
        lines.append(f"    {py_quoted(group)}: {{")
        for code, (ctx, msgid) in labels[group].items():
            lines.append(f"        {py_quoted(code)}: {marker(ctx, msgid)},")
        lines.append("    },")
    lines.append("}")
    LABELS_PY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ruff = ROOT / ".venv" / "bin" / "ruff"
    if ruff.exists():  # the file as the project formats it (long messages wrapped)
        subprocess.run([str(ruff), "format", "-q", str(LABELS_PY)], check=False)


LEGACY_REF = re.compile(r"""(?<![\w.])(?:t|translate)\(""")


def legacy_references() -> list[str]:
    """Files still calling `t(...)` in a template or the deprecated `translate(...)` in Python."""
    found = []
    for path in sorted(SRC.glob("**/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        if any(re.search(r"(?<![\w.])t\(", b.group(0)) for b in JINJA_BLOCK.finditer(text)):
            found.append(str(path.relative_to(ROOT)))
    for path in sorted(SRC.glob("**/*.py")):
        if path.name == "i18n.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "import translate" in text or re.search(r"i18n import[^\n]*\btranslate\b(?!or)", text):
            found.append(str(path.relative_to(ROOT)))
    return found


# ----------------------------------------------------------------------------------- checking


def check_reachable(entries: dict[str, dict[str, str]], record: dict[str, tuple[str, str]]) -> list[str]:
    """Every (key, language) text of the YAML files, through the catalogues compiled afresh."""
    sys.path.insert(0, str(ROOT / "src"))
    from oncofed.presenters import i18n

    i18n.translations.cache_clear()
    i18n.translator.cache_clear()
    lost = []
    for key, entry in entries.items():
        ctx, msgid = record[key]
        params = {name: f"<{name}>" for name in PLACEHOLDER.findall(entry["en"] + entry["fr"])}
        for lang in LANGS:
            tr = i18n.Translator(lang)
            got = tr.pgettext(ctx, msgid, **params) if ctx else tr.gettext(msgid, **params)
            if got != with_dummies(entry[lang]):
                lost.append(f"{key} [{lang}]: YAML {entry[lang]!r}, catalogue {got!r}")
    return lost


def babel_sync() -> None:
    """`make i18n`: pybabel extract + update (the workflow of docs/DEVELOPING.md)."""
    subprocess.run(["make", "-s", "-o", ".venv/.installed", "i18n"], cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--delete-yaml", action="store_true", help="delete the YAML files once all is reachable"
    )
    parser.add_argument("--only", nargs="*", type=Path, default=[], help="convert these files only")
    parser.add_argument("--skip", nargs="*", type=Path, default=[], help="leave these files (others' work)")
    parser.add_argument("--no-sync", action="store_true", help="skip pybabel extract + update")
    args = parser.parse_args()

    entries = read_yaml()
    record = read_record()
    fr = load_catalog("fr")
    assigned = assign_messages(entries, record, fr)
    add_to_catalogues(entries, assigned)
    record.update(assigned)
    write_record(record)

    converter = Converter(record)
    changed = convert_files(converter, [p.resolve() for p in args.only], {p.resolve() for p in args.skip})
    write_labels(record, converter.prefixes)
    remaining = legacy_references()
    print(f"{len(assigned)} new messages, {len(changed)} files converted")
    for path in changed:
        print("  converted", path.relative_to(ROOT))
    for line in converter.left:
        print("  left:", line)
    for line in remaining:
        print("  still key-based:", line)

    lost = check_reachable(entries, record)
    for line in lost:
        print("  LOST:", line)
    if lost:
        print("not deleting the YAML files: some texts are not reachable through the catalogues")
        return 1
    if args.delete_yaml and entries:
        for path in sorted(YAML_DIR.glob("*/*.yaml")):
            path.unlink()
        for folder in (YAML_DIR / "en", YAML_DIR / "fr", YAML_DIR):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        print(f"every (key, language) text is reachable: deleted the YAML files under {YAML_DIR}")
    if not args.no_sync:
        babel_sync()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
