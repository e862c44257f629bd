"""The gettext catalogues (issue 18 part 6): in sync with the sources, every French text present and
well formed, nothing of the former YAML dictionaries lost, no key-based call left, plural forms,
escaping, and Babel's numbers and dates in both languages."""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import DictLoader, Environment, select_autoescape

from oncofed.presenters.i18n import Plural, Translator, catalogue_path, install_gettext, translator
from oncofed.presenters.labels import LABELS
from oncofed.presenters.typography import french_typography

ROOT = Path(__file__).resolve().parents[1]
YAML_DIR = ROOT / "src" / "oncofed" / "resources" / "i18n"
RECORD = ROOT / "scripts" / "i18n_yaml_keys.tsv"
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2), "NN_": (1, 2)}


def catalog(lang: str) -> Catalog:
    with catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def extracted() -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every text `make i18n` extracts (babel.cfg), as pybabel does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    out = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        out.add((context or None, str(msgid)))
    return out


def convert_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_convert", ROOT / "scripts" / "i18n_convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogues_are_in_sync_with_the_sources() -> None:
    in_code = extracted()
    for lang in ("en", "fr"):
        entries = {
            (m.context or None, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog(lang) if m.id
        }
        missing, stale = in_code - entries, entries - in_code
        assert not missing, (
            f"texts in the code but not in the {lang} catalogue: run `make i18n`: {sorted(missing)[:20]}"
        )
        assert not stale, (
            f"{lang} catalogue entries no code uses any more: run `make i18n`: {sorted(stale)[:20]}"
        )


def test_every_french_text_is_translated_and_well_formed() -> None:
    fr = catalog("fr")
    untranslated = [
        m.id for m in fr if m.id and (m.fuzzy or not (all(m.string) if m.pluralizable else m.string))
    ]
    assert not untranslated, (
        "French missing (or fuzzy, which is not used) in src/oncofed/resources/locale/fr/LC_MESSAGES/oncofed.po: "
        f"{untranslated[:20]}"
    )
    problems = [(m.id, [str(e) for e in errors]) for m, errors in fr.check()]
    assert not problems, f"placeholders that differ between English and French: {problems[:10]}"
    assert fr.plural_forms == "nplurals=2; plural=(n > 1);"


def former_yaml() -> dict[str, dict[str, str]]:
    """The former YAML texts: the files while they exist, else the last commit that had them."""
    files: dict[str, str] = {}
    if any(YAML_DIR.glob("*/*.yaml")):
        files = {
            f"{p.parent.name}/{p.name}": p.read_text(encoding="utf-8") for p in YAML_DIR.glob("*/*.yaml")
        }
    else:
        try:
            deleted = subprocess.run(
                ["git", "log", "-1", "--format=%H", "--diff-filter=D", "--", str(YAML_DIR)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            listing = subprocess.run(
                ["git", "ls-tree", "-r", "--name-only", f"{deleted}^", "--", str(YAML_DIR)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("the YAML files are deleted and this is not a git checkout with their history")
        for name in listing:
            text = subprocess.run(
                ["git", "show", f"{deleted}^:{name}"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            files["/".join(Path(name).parts[-2:])] = text
    out: dict[str, dict[str, str]] = {}
    for name, text in files.items():
        lang = name.split("/")[0]
        for key, value in (yaml.safe_load(text) or {}).items():
            out.setdefault(str(key), {})[lang] = str(value)
    return out


def test_no_former_yaml_text_is_lost() -> None:
    """Every (key, language) text of the hand-made dictionaries is what the catalogues give for the
    message the key became (scripts/i18n_yaml_keys.tsv); a text no code shows any more is reported."""
    texts = former_yaml()
    assert texts, "no former YAML text found"
    with RECORD.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        record = {r["key"]: (r["msgctxt"], r["msgid"]) for r in rows}
    in_code = {msgid for _ctx, msgid in extracted()}
    unconverted = sorted(set(texts) - set(record))
    assert not unconverted, f"YAML keys never converted: run scripts/i18n_convert.py: {unconverted[:20]}"
    lost = []
    for key, by_lang in texts.items():
        ctx, msgid = record[key]
        if msgid not in in_code:
            continue  # a text no page shows any more
        params = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", "".join(by_lang.values()))}
        for lang, expected in by_lang.items():
            tr = Translator(lang)
            got = tr.pgettext(ctx, msgid, **params) if ctx else tr.gettext(msgid, **params)
            if (
                lang == "fr"
            ):  # the catalogue has French typography's no-break spaces (presenters/typography.py)
                expected = french_typography(expected)
            if got != re.sub(r"\{(\w+)\}", r"<\1>", expected):
                lost.append(f"{key} [{lang}]: {expected!r} -> {got!r}")
    assert not lost, f"{len(lost)} texts changed on the way to the catalogues: {lost[:10]}"


def test_no_key_based_translation_is_left() -> None:
    remaining = convert_script().legacy_references()
    assert not remaining, (
        "t('key') / translate(lang, 'key') calls left (the YAML dictionaries are gone): run "
        f"`.venv/bin/python scripts/i18n_convert.py`, then write English text with _() / gettext(): {remaining}"
    )
    assert not any(YAML_DIR.glob("*/*.yaml")), (
        f"YAML dictionaries left in {YAML_DIR}: run scripts/i18n_convert.py"
    )


def test_label_groups_hold_extractable_english() -> None:
    en, fr = translator("en"), translator("fr")
    assert en.label("wd_status", "RECRUITING") == "recruiting"
    assert fr.label("wd_status", "RECRUITING") == "en recrutement"
    assert fr.label("wd_status", "SOMETHING_NEW") == "SOMETHING_NEW"  # an unknown code is shown as it is
    in_code = {msgid for _ctx, msgid in extracted()}
    for group, codes in LABELS.items():
        for code, message in codes.items():
            msgid = (
                message.singular
                if isinstance(message, Plural)
                else (message[1] if isinstance(message, tuple) else message)
            )
            assert msgid in in_code, f"label {group}/{code} is not extracted"


def render(source: str, lang: str, **context: Any) -> str:
    env = Environment(loader=DictLoader({"page.html": source}), autoescape=select_autoescape(["html"]))
    install_gettext(env)
    return env.get_template("page.html").render(lang=lang, **context)


def test_templates_translate_escape_and_count() -> None:
    assert render("{{ _('Trials') }}", "fr") == "Essais"
    assert render("{{ _('Trials') }}", "en") == "Trials"
    # a translation is text: its "<" is escaped, and so are the values put into it
    assert render("{{ _('Not published (n < 30)') }}", "fr") == "Non publié (n &lt; 30)"
    assert "&lt;b&gt;" in render("{{ _('Reference: %(ref)s', ref=r) }}", "fr", r="<b>")
    assert render("{{ pgettext('verb', 'Log in') }}", "fr") == "Se connecter"
    assert render("{{ _('Log in') }}", "fr") == "Connexion"
    one = render(
        "{{ ngettext('%(num)s unread notification', '%(num)s unread notifications', n) }}", "fr", n=1
    )
    two = render(
        "{{ ngettext('%(num)s unread notification', '%(num)s unread notifications', n) }}", "fr", n=2
    )
    assert (one, two) == ("1 notification non lue", "2 notifications non lues")
    zero = render(
        "{{ ngettext('%(num)s unread notification', '%(num)s unread notifications', n) }}", "en", n=0
    )
    assert zero == "0 unread notifications"


def test_numbers_and_dates_follow_the_language() -> None:
    assert render("{{ num(1234.5, 1) }}", "fr") == "1\u202f234,5"
    assert render("{{ num(1234.5, 1) }}", "en") == "1,234.5"
    assert render("{{ day(d) }}", "fr", d=date(2026, 12, 5)) == "5 déc. 2026"
    assert render("{{ day('2026-12-05') }}", "en") == "5 Dec 2026"
    assert render("{{ num(none) }}{{ day('') }}", "fr") == ""
