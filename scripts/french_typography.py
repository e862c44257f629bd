"""French typography in the French catalogue's translations (msgstr only; never a msgid): a no-break space
(U+00A0) before ":", a narrow no-break space (U+202F) before ";" "?" "!" and inside « », where a msgstr has an
ordinary space or none (`oncofed.presenters.typography`; docs/DEVELOPING.md, "Translations").

    .venv/bin/python scripts/french_typography.py [--check]

--check changes nothing and exits 1 listing the entries that break the rule (tests/test_i18n_typography.py
runs the same check). The catalogue is read and written with Babel, as `pybabel update` writes it.
"""

from __future__ import annotations

import argparse
import io
import sys

from babel.messages.pofile import read_po, write_po

from oncofed.presenters.i18n import catalogue_path
from oncofed.presenters.typography import breaches, french_typography


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when an entry breaks the rule"
    )
    args = parser.parse_args(argv)
    path = catalogue_path("fr")
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale="fr")
    found = breaches(catalogue)
    if args.check:
        for msgid, msgstr in found:
            print(f"{path.name}: msgid {msgid!r}: msgstr {msgstr!r} -> {french_typography(msgstr)!r}")
        return 1 if found else 0
    for message in catalogue:
        if message.id and message.string:
            if isinstance(message.string, str):
                message.string = french_typography(message.string)
            else:
                message.string = tuple(french_typography(s) for s in message.string)
    out = io.BytesIO()
    write_po(out, catalogue, width=76, ignore_obsolete=True, include_previous=False)  # as `pybabel update`
    path.write_bytes(out.getvalue())
    print(f"{len(found)} French translations given their no-break spaces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
