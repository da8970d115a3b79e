"""Reading a document of any supported format, and telling what kind of document it is.

One place decides how a file is read, so the library and the CLI read the same files
the same way: ``wzeval.read_findings("t.xlsx", rb)`` works because it, like
``wzeval validate t.xlsx``, goes through :func:`read_document`.

- :func:`read_document` chooses the reader by suffix: ``.xlsx`` is a findings workbook
  (:func:`wzeval.reading._xlsxread.read_findings_xlsx`, positions are cells), anything else is YAML
  or JSON (:func:`wzeval.reading._loader.load_document`, JSON being YAML 1.2).  Never raises
  for bad input: the document's ``issues`` say what is wrong.
- :func:`document_kind` tells a rulebook, findings, rule tests or an appeal by content
  (:func:`is_findings_document`: findings or not).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from wzeval.reading._loader import load_document
from wzeval.reading._xlsxread import read_findings_xlsx
from wzeval.reading._yamlcore import Document

__all__ = [
    "SPREADSHEET_SUFFIXES",
    "DocumentKind",
    "document_kind",
    "is_findings_document",
    "read_document",
]

#: Suffixes read as findings workbooks (compared lower-case).
SPREADSHEET_SUFFIXES = frozenset({".xlsx"})

DocumentKind = Literal["rulebook", "findings", "ruletests", "appeal"]


def read_document(path: str | Path) -> Document:
    """Load one document by its suffix: a findings workbook (``.xlsx``) or YAML/JSON.

    Never raises for bad input; raises :class:`wzeval.core._errors.XlsxUnavailable` for a
    workbook when openpyxl is not installed.
    """
    if Path(path).suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_findings_xlsx(path)
    return load_document(path)


def is_findings_document(data: object) -> bool:
    """Tell findings from rulebooks by content (``wzeval: findings/1`` or its header keys)."""
    if not isinstance(data, Mapping):
        return False
    tag = data.get("wzeval")
    if isinstance(tag, str):
        return tag.startswith("findings")
    return "department" in data and "indicators" in data


def document_kind(data: object) -> DocumentKind | None:
    """``rulebook``, ``findings``, ``ruletests`` or ``appeal`` by content, else ``None``."""
    if is_findings_document(data):
        return "findings"
    if isinstance(data, Mapping):
        tag = data.get("wzeval")
        if isinstance(tag, str) and tag.startswith("ruletests"):
            return "ruletests"
        if isinstance(tag, str) and tag.startswith("appeal/"):
            return "appeal"
        if (isinstance(tag, str) and tag.startswith("rulebook")) or (
            tag is None and "categories" in data
        ):
            return "rulebook"
    return None
