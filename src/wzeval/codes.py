"""Every issue code wzeval reports, with its meaning and fix.

Codes are short and stable: tools and CI configurations rely on them, so a
code is never reused for another meaning.  ``docs/issue-codes.md`` is generated
from this table (``python tools/gendocs.py``) and a test keeps it fresh; another
test checks that every code the source emits is listed here.

Ranges: WZ1xx reading YAML, WZ2xx rulebook structure, WZ3xx expressions,
WZ4xx findings, WZ5xx evaluation, WZ9xx files and the command line.
Lint checks have their own ``WL`` codes (see :mod:`wzeval.lint`).
"""

from __future__ import annotations

from dataclasses import dataclass

from wzeval.expressions import CODES as _EXPRESSION_CODES

__all__ = ["CODES", "Code", "render_markdown"]


@dataclass(frozen=True)
class Code:
    """One issue code: what it means and what the user can do."""

    code: str
    title: str
    fix: str


_TABLE: list[tuple[str, str, str]] = [
    ("WZ000", "internal error", "a wzeval bug; please report it with the input that caused it"),
    ("WZ100", "a document has issues", "read the issues it lists; each has its own code"),
    ("WZ101", "YAML syntax error", "check indentation, quoting and brackets at the position"),
    ("WZ102", "duplicate mapping key", "remove or rename one of the keys; YAML keeps only one"),
    ("WZ103", "invalid UTF-8", "save the file as UTF-8 (convert GBK/GB18030 files)"),
    ("WZ104", "byte-order mark (warning)", "save as UTF-8 without BOM; the file still loads"),
    ("WZ105", "tab used for indentation", "indent with spaces; YAML forbids tabs there"),
    ("WZ106", "unsupported YAML tag", "remove tags such as !!python/…; documents are plain data"),
    ("WZ107", "too many aliases / alias bomb", "write values out instead of using many aliases"),
    ("WZ108", "nesting too deep", "flatten the document (limit: loader.MAX_DEPTH)"),
    (
        "WZ109",
        "file too large (bytes or values)",
        "split the document (limits: loader.MAX_FILE_BYTES, loader.MAX_NODES)",
    ),
    ("WZ110", "file cannot be read", "check the path and permissions"),
    (
        "WZ111",
        "YAML 1.1 boolean-like word (warning)",
        "write true/false for yes/no answers, or quote the text",
    ),
    (
        "WZ112",
        "number too long or too large",
        "at most loader.MAX_NUMBER_LENGTH characters, between 1e-100 and 1e100"
        " (loader.MAX_DECIMAL_EXPONENT)",
    ),
    (
        "WZ113",
        "not a regular file, or a link out of the folder",
        "name a regular file; devices, FIFOs, sockets and folders are not read, and a link"
        " in a folder leading outside it is skipped (a warning)",
    ),
    (
        "WZ114",
        "YAML directive not supported",
        "remove the directive, or write %YAML 1.2 (1.1 is also read); no %TAG",
    ),
    (
        "WZ115",
        "empty document",
        "a file with nothing but comments or blank lines is not a wzeval document",
    ),
    (
        "WZ116",
        "YAML reader warning (warning)",
        "read the message (e.g. a duplicate anchor); give each anchor its own name",
    ),
    (
        "WZ117",
        "full-width colon after a key (key： value)",
        "type the ASCII colon and a space (key: value); the message gives the fixed line",
    ),
    ("WZ201", "schema error", "fix the key or value named; unknown keys are not ignored"),
    ("WZ202", "duplicate or reserved id", "ids must be unique in their scope; rename one"),
    ("WZ203", "weights do not add up", "a category's weight is the sum of its indicators'"),
    (
        "WZ204",
        "shares do not add up to 100%, or missing items",
        "item shares of an indicator must add up to exactly 100%",
    ),
    (
        "WZ205",
        "credit, cap or deduction out of bounds",
        "credits and caps are parts of the weight, at most the item's share",
    ),
    ("WZ206", "unknown reference", "name a declared group, catalog, department or enum fact"),
    ("WZ207", "levels do not match the enum", "give a credit for every option and no other"),
    ("WZ208", "empty range", "min must not exceed max"),
    ("WZ209", "weight has the wrong sign", "penalty weights are negative, all others positive"),
    (
        "WZ210",
        "a 单项否决 (veto) category has the wrong shape",
        "weight 0; its indicators weigh 0 and hold facts and vetoes only",
    ),
    (
        "WZ211",
        "a gate or grade reads a score it comes before (a cycle)",
        "a gate reads base and base categories; a grade reads any score",
    ),
    (
        "WZ212",
        "a grade rule can never give its grade",
        "an earlier rule always holds, or its condition never does: reorder or delete it",
    ),
    (
        "WZ213",
        "a gate on a category that cannot have one",
        "only bonus and penalty categories are scored on a condition",
    ),
    (
        "WZ250",
        "extends: the base rulebook cannot be found or read",
        "name a file relative to the extending one (extends: ../2023.yaml) or bundled:2023",
    ),
    ("WZ251", "extends: rulebooks extend each other in a cycle", "break the cycle"),
    (
        "WZ252",
        "extends: chain too long",
        "at most 5 steps (extends.MAX_EXTENDS_DEPTH); extend a rulebook nearer the root",
    ),
    (
        "WZ253",
        "extends: edit, removal or placement names an unknown id",
        "fix the id (see the hint); to add a part, list it under add_…",
    ),
    (
        "WZ254",
        "extends: added part already exists",
        "edit it by id instead, or remove_… it first to replace it whole",
    ),
    (
        "WZ255",
        "extends: malformed edit",
        "edits are {id: changes}, add_… a list of full parts, remove_… a list of ids",
    ),
    ("WZ256", "extends: the extending rulebook needs its own id", "give it a new id"),
    (
        "WZ257",
        "extends: path not allowed",
        "a relative .yaml/.yml/.json path inside the project, or bundled:NAME",
    ),
    ("WZ401", "findings header problem", "start with 'wzeval: findings/1'; check the header keys"),
    ("WZ402", "unknown indicator", "use an indicator id (or exact name) from the rulebook"),
    ("WZ403", "unknown fact or field", "use a fact id the indicator declares (see the template)"),
    (
        "WZ404",
        "missing fact, or not recorded yet (null, 待填写, empty)",
        "record it, or score with --partial to leave it unassessed",
    ),
    (
        "WZ405",
        "wrong type or impossible value",
        "write the type named (true/false, 3, 2023-11-15); a usual slip (是, 80%, 2023/11/5,"
        " 三) is named with the value meant",
    ),
    ("WZ406", "value out of range", "stay within the fact's min and max"),
    (
        "WZ407",
        "unknown department",
        "use a unit name from the rulebook's roster (the suggestion names the nearest)",
    ),
    ("WZ408", "findings for another rulebook", "score them with the rulebook they name"),
    (
        "WZ410",
        "cannot be assessed",
        "e.g. a spot check with no checks made; record it or use --partial",
    ),
    (
        "WZ411",
        "date outside the working-day calendar",
        "check the year, or upgrade chinesecalendar for newer years",
    ),
    (
        "WZ414",
        "date later than the monitoring date (warning)",
        "check the date and monitoring_date: what happened after it is not assessed",
    ),
    (
        "WZ412",
        "in-memory input is not plain data",
        "pass dicts with text keys, lists, text, numbers, booleans, dates or None",
    ),
    (
        "WZ413",
        "in-memory input raised an error while being read",
        "pass plain dicts and lists",
    ),
    (
        "WZ420",
        "one department scored twice in a batch",
        "remove one of the files named, or merge them (score --merge-duplicates, wzeval merge)",
    ),
    (
        "WZ421",
        "merge: inputs are not findings of one department and rulebook",
        "merge only findings/1 files of the same department and rulebook",
    ),
    (
        "WZ422",
        "merge: one fact recorded with different values",
        "correct one file, or name the winning file with --prefer",
    ),
    (
        "WZ423",
        "merge: conflict resolved by --prefer (warning)",
        "check that the file preferred holds the right value",
    ),
    ("WZ424", "merge: --prefer names a file not merged", "name one of the files being merged"),
    ("WZ425", "appeal: not an appeal document", "start with 'wzeval: appeal/1'"),
    (
        "WZ426",
        "appeal: the findings file named is missing or broken",
        "findings: a path relative to the appeal file; fix that file's own issues",
    ),
    (
        "WZ427",
        "appeal: unknown department, or not the findings' department",
        "write the department the findings name",
    ),
    ("WZ428", "appeal: schema error", "fix the key or value named; see schemas/appeal.schema.json"),
    (
        "WZ429",
        "appeal: unknown indicator or fact",
        "name an indicator and a fact it declares (see the template)",
    ),
    ("WZ430", "appeal: one fact decided twice", "decide each contested fact once"),
    (
        "WZ431",
        "appeal: not yet decided (warning)",
        "add decision: {result, reviewer, date, reason} after review",
    ),
    (
        "WZ432",
        "compare: one department twice in a round",
        "one file per department and round; merge first",
    ),
    (
        "WZ433",
        "compare: a round has no findings that score",
        "check the folder and its files' issues",
    ),
    ("WZ500", "evaluation failed", "read the message; it names the indicator and rule"),
    ("WZ501", "a count is not a whole number ≥ 0", "check the facts the count reads"),
    ("WZ502", "more checks passed than made", "passed checks cannot exceed checks made"),
    ("WZ503", "a given score is out of range", "a given score lies between 0 and out_of"),
    ("WZ901", "output exists", "choose another path or pass --force; nothing was written"),
    ("WZ902", "usage error", "see wzeval COMMAND --help"),
    (
        "WZ910",
        "not a rulebook, findings or rule tests",
        "start with 'wzeval: rulebook/1', 'wzeval: findings/1' or 'wzeval: ruletests/1'",
    ),
    (
        "WZ911",
        "findings not checked: their rulebook did not load",
        "fix the rulebook's own issues, or pass --rulebook PATH",
    ),
    ("WZ912", "no .yaml/.yml/.json file in a folder", "check the folder given"),
    (
        "WZ913",
        "output is not a regular file (folder, device, pipe)",
        "give -o the path of a report file; --force does not override this",
    ),
    (
        "WZ914",
        "output is an input of the run (after symlinks)",
        "--force replaces an old report, never an input: choose another -o path",
    ),
    (
        "WZ915",
        "output could not be written (full disk, read-only folder)",
        "free space or choose another -o path; the old file is unchanged",
    ),
    (
        "WZ920",
        "openpyxl is not installed (.xlsx files cannot be read or written)",
        "reinstall wzeval, which depends on it: pip install wzeval (exit 2)",
    ),
    (
        "WZ921",
        "Hypothesis is not installed (wzeval verify cannot run)",
        "pip install 'wzeval[verify]' (exit 2)",
    ),
]

_FIX_EXPRESSION = "rewrite the expression; the issue's hint says how"

CODES: dict[str, Code] = {}
for _code, _title, _fix in _TABLE:
    CODES[_code] = Code(_code, _title, _fix)
for _code, _meaning in _EXPRESSION_CODES.items():
    CODES.setdefault(_code, Code(_code, _meaning, _FIX_EXPRESSION))
CODES = dict(sorted(CODES.items()))


def render_markdown() -> str:
    """The issue-code reference page (``docs/issue-codes.md``)."""
    lines = [
        "# Issue codes",
        "",
        "<!-- generated by `python tools/gendocs.py`; do not edit -->",
        "",
        "Every problem wzeval reports is an issue with a stable code, a message,",
        "`file:line:col` and, where one exists, a hint.  Ranges: WZ1xx reading YAML,",
        "WZ2xx rulebook structure, WZ3xx expressions, WZ4xx findings, WZ5xx evaluation,",
        "WZ9xx files and the command line.  Lint checks use WL codes",
        "([lint codes](lint-codes.md)).",
        "",
        "| code | meaning | fix |",
        "|---|---|---|",
    ]
    for c in CODES.values():
        lines.append(f"| `{c.code}` | {c.title} | {c.fix} |")
    return "\n".join(lines) + "\n"
