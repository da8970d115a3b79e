"""Keep wzeval's message catalogue up to date: extract, update, compile.

    python scripts/catalogue.py            # all three, then list what lacks a translation
    python scripts/catalogue.py --check    # exit 1 if the .pot, .po or .mo is stale

1. *extract*: every ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()`` text of ``src/wzeval`` into
   ``src/wzeval/locale/wzeval.pot`` (sorted, file names without line numbers, so
   that moving code does not change the template);
2. *update*: ``src/wzeval/locale/zh_CN/LC_MESSAGES/wzeval.po`` gains the new
   msgids (empty, to translate) and loses the ones no longer in the source;
3. *compile*: the ``.po`` into the ``wzeval.mo`` beside it, which the package ships
   and the standard library's :mod:`gettext` reads.

Needs Babel (``pip install -e '.[test]'``); wzeval itself does not.
``tests/core/test_i18n.py`` uses the same functions to check that the committed files
are what this script makes.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "wzeval"
LOCALE = SOURCE / "locale"
POT = LOCALE / "wzeval.pot"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "wzeval.po"
MO = PO.with_suffix(".mo")

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
#: A fixed date in the headers: the files are generated, and must not change with the clock.
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_HEADER = "wzeval's messages.\nThe source says them in English; this file in Chinese."


def _catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain="wzeval",
        project="wzeval",
        version="",
        copyright_holder="wzeval's authors",
        msgid_bugs_address="",
        header_comment=f"# {_HEADER.replace(chr(10), chr(10) + '# ')}",
        creation_date=_EPOCH,
        revision_date=_EPOCH,
        fuzzy=False,
    )


def _source_folder(dirpath: str) -> bool:
    """Every folder of the package but caches: Babel's default filter also skips the
    private sub-packages (``analysis/_lint``), whose messages then went untranslated."""
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def extract() -> Catalog:
    """The template: every wrapped text of the package's source."""
    template = _catalog()
    found = extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python")],
        directory_filter=_source_folder,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        location = (f"wzeval/{Path(filename).as_posix()}", lineno)
        template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def pot_bytes() -> bytes:
    """The ``.pot`` the source asks for."""
    return _po_bytes(extract())


def updated_po_bytes(template: Catalog | None = None) -> bytes:
    """The committed ``.po``, with the template's msgids added and the others dropped."""
    template = template or extract()
    if PO.exists():
        with PO.open("rb") as f:
            catalog = read_po(f, locale="zh_CN")
    else:
        catalog = _catalog("zh_CN")
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.revision_date = _EPOCH
    catalog.creation_date = _EPOCH
    catalog.fuzzy = False
    return _po_bytes(catalog)


def mo_bytes(po: bytes | None = None) -> bytes:
    """The ``.mo`` compiled from the ``.po`` (fuzzy entries left out)."""
    catalog = read_po(io.BytesIO(po if po is not None else PO.read_bytes()), locale="zh_CN")
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(po: bytes | None = None) -> list[str]:
    """The msgids with no translation (or a fuzzy one) in the ``.po``."""
    catalog = read_po(io.BytesIO(po if po is not None else PO.read_bytes()), locale="zh_CN")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are fresh")
    args = parser.parse_args(argv)
    pot = pot_bytes()
    po = updated_po_bytes()
    mo = mo_bytes(po)
    wanted = {POT: pot, PO: po, MO: mo}
    if args.check:
        stale = [p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data]
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path, data in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    missing = untranslated(po)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} of the msgids lack a Chinese translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
