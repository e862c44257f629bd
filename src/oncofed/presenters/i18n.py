"""French and English UI text, held as YAML under resources/i18n/<lang>/*.yaml (one file per area)."""

from __future__ import annotations

import functools
from typing import Any

import yaml

from oncofed.resources import resource_path

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    folder = resource_path(f"i18n/{lang}")
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        out.update({str(k): str(v) for k, v in data.items()})
    return out


def translate(lang: str, key: str, **params: Any) -> str:
    """The text for `key` in `lang`, falling back to English, then to the key itself."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def pick_language(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return str(candidate)
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().lower()[:2]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE
