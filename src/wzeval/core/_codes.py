"""Every issue code wzeval reports, as a constant, with its meaning and fix.

Codes are short and stable: tools and CI configurations rely on them, so a code is
never reused for another meaning.  Each is defined once, here, as a constant
(``WZ404``) that the modules raising it import: a code that is not registered cannot
be written (a ``NameError`` and a mypy error, not an undocumented code), and
``tests/core/test_codes.py`` fails on a code written as a string literal anywhere else.
The meanings and fixes are English msgids of the message catalogue (Chinese by
default, :mod:`wzeval.core._i18n`); ``docs/issue-codes.md`` shows both languages
(``python tools/gendocs.py``).

Ranges: WZ1xx reading YAML, WZ2xx rulebook structure, WZ3xx expressions, WZ4xx
findings, WZ5xx evaluation, WZ9xx files and the command line.  Lint checks have their
own ``WL`` codes, registered with the checks (:mod:`wzeval.analysis._lint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from wzeval.core._i18n import N_, _

# fmt: off
WZ000: Final = "WZ000"
WZ100: Final = "WZ100"
WZ101: Final = "WZ101"
WZ102: Final = "WZ102"
WZ103: Final = "WZ103"
WZ104: Final = "WZ104"
WZ105: Final = "WZ105"
WZ106: Final = "WZ106"
WZ107: Final = "WZ107"
WZ108: Final = "WZ108"
WZ109: Final = "WZ109"
WZ110: Final = "WZ110"
WZ111: Final = "WZ111"
WZ112: Final = "WZ112"
WZ113: Final = "WZ113"
WZ114: Final = "WZ114"
WZ115: Final = "WZ115"
WZ116: Final = "WZ116"
WZ117: Final = "WZ117"
WZ201: Final = "WZ201"
WZ202: Final = "WZ202"
WZ203: Final = "WZ203"
WZ204: Final = "WZ204"
WZ205: Final = "WZ205"
WZ206: Final = "WZ206"
WZ207: Final = "WZ207"
WZ208: Final = "WZ208"
WZ209: Final = "WZ209"
WZ210: Final = "WZ210"
WZ211: Final = "WZ211"
WZ212: Final = "WZ212"
WZ213: Final = "WZ213"
WZ250: Final = "WZ250"
WZ251: Final = "WZ251"
WZ252: Final = "WZ252"
WZ253: Final = "WZ253"
WZ254: Final = "WZ254"
WZ255: Final = "WZ255"
WZ256: Final = "WZ256"
WZ257: Final = "WZ257"
WZ301: Final = "WZ301"
WZ302: Final = "WZ302"
WZ303: Final = "WZ303"
WZ304: Final = "WZ304"
WZ305: Final = "WZ305"
WZ306: Final = "WZ306"
WZ307: Final = "WZ307"
WZ308: Final = "WZ308"
WZ309: Final = "WZ309"
WZ310: Final = "WZ310"
WZ311: Final = "WZ311"
WZ312: Final = "WZ312"
WZ313: Final = "WZ313"
WZ314: Final = "WZ314"
WZ315: Final = "WZ315"
WZ316: Final = "WZ316"
WZ317: Final = "WZ317"
WZ318: Final = "WZ318"
WZ319: Final = "WZ319"
WZ320: Final = "WZ320"
WZ321: Final = "WZ321"
WZ322: Final = "WZ322"
WZ323: Final = "WZ323"
WZ324: Final = "WZ324"
WZ325: Final = "WZ325"
WZ326: Final = "WZ326"
WZ329: Final = "WZ329"
WZ330: Final = "WZ330"
WZ331: Final = "WZ331"
WZ401: Final = "WZ401"
WZ402: Final = "WZ402"
WZ403: Final = "WZ403"
WZ404: Final = "WZ404"
WZ405: Final = "WZ405"
WZ406: Final = "WZ406"
WZ407: Final = "WZ407"
WZ408: Final = "WZ408"
WZ410: Final = "WZ410"
WZ411: Final = "WZ411"
WZ412: Final = "WZ412"
WZ413: Final = "WZ413"
WZ414: Final = "WZ414"
WZ420: Final = "WZ420"
WZ421: Final = "WZ421"
WZ422: Final = "WZ422"
WZ423: Final = "WZ423"
WZ424: Final = "WZ424"
WZ425: Final = "WZ425"
WZ426: Final = "WZ426"
WZ427: Final = "WZ427"
WZ428: Final = "WZ428"
WZ429: Final = "WZ429"
WZ430: Final = "WZ430"
WZ431: Final = "WZ431"
WZ432: Final = "WZ432"
WZ433: Final = "WZ433"
WZ500: Final = "WZ500"
WZ501: Final = "WZ501"
WZ502: Final = "WZ502"
WZ503: Final = "WZ503"
WZ901: Final = "WZ901"
WZ902: Final = "WZ902"
WZ910: Final = "WZ910"
WZ911: Final = "WZ911"
WZ912: Final = "WZ912"
WZ913: Final = "WZ913"
WZ914: Final = "WZ914"
WZ915: Final = "WZ915"
WZ920: Final = "WZ920"
WZ921: Final = "WZ921"
# fmt: on


@dataclass(frozen=True)
class Code:
    """One issue code: what it means and what the user can do.

    ``title`` and ``fix`` are the English msgids (stable data); ``title_text`` and
    ``fix_text`` are the same in the current language (:mod:`wzeval.core._i18n`)."""

    code: str
    title: str
    fix: str

    @property
    def title_text(self) -> str:
        """What the code means, in the current language."""
        return _(self.title)

    @property
    def fix_text(self) -> str:
        """What to do about it, in the current language."""
        return _(self.fix)


_TABLE: list[tuple[str, str, str]] = [
    (
        WZ000,
        N_("internal error"),
        N_("a wzeval bug; please report it with the input that caused it"),
    ),
    (WZ100, N_("a document has issues"), N_("read the issues it lists; each has its own code")),
    (
        WZ101,
        N_("YAML syntax error"),
        N_("check indentation, quoting and brackets at the position"),
    ),
    (
        WZ102,
        N_("duplicate mapping key"),
        N_("remove or rename one of the keys; YAML keeps only one"),
    ),
    (WZ103, N_("invalid UTF-8"), N_("save the file as UTF-8 (convert GBK/GB18030 files)")),
    (
        WZ104,
        N_("byte-order mark (warning)"),
        N_("save as UTF-8 without BOM; the file still loads"),
    ),
    (WZ105, N_("tab used for indentation"), N_("indent with spaces; YAML forbids tabs there")),
    (
        WZ106,
        N_("unsupported YAML tag"),
        N_("remove tags such as !!python/…; documents are plain data"),
    ),
    (
        WZ107,
        N_("too many aliases / alias bomb"),
        N_("write values out instead of using many aliases"),
    ),
    (
        WZ108,
        N_("nesting too deep"),
        N_("flatten the document (limit MAX_DEPTH in docs/security.md)"),
    ),
    (
        WZ109,
        N_("file too large (bytes or values)"),
        N_(
            "split the document (limits MAX_FILE_BYTES, MAX_NODES and, for a rulebook,"
            " MAX_RULEBOOK_NODES in docs/security.md)"
        ),
    ),
    (WZ110, N_("file cannot be read"), N_("check the path and permissions")),
    (
        WZ111,
        N_("YAML 1.1 boolean-like word (warning)"),
        N_("write true/false for yes/no answers, or quote the text"),
    ),
    (
        WZ112,
        N_("number too long or too large"),
        N_(
            "at most MAX_NUMBER_LENGTH characters, between 1e-100 and 1e100"
            " (MAX_DECIMAL_EXPONENT; docs/security.md)"
        ),
    ),
    (
        WZ113,
        N_("not a regular file, or a link out of the folder"),
        N_(
            "name a regular file; devices, FIFOs, sockets and folders are not read, and a link"
            " in a folder leading outside it is skipped (a warning)"
        ),
    ),
    (
        WZ114,
        N_("YAML directive not supported"),
        N_("remove the directive, or write %YAML 1.2 (1.1 is also read); no %TAG"),
    ),
    (
        WZ115,
        N_("empty document"),
        N_("a file with nothing but comments or blank lines is not a wzeval document"),
    ),
    (
        WZ116,
        N_("YAML reader warning (warning)"),
        N_("read the message (e.g. a duplicate anchor); give each anchor its own name"),
    ),
    (
        WZ117,
        N_("full-width colon after a key (key： value)"),
        N_("type the ASCII colon and a space (key: value); the message gives the fixed line"),
    ),
    (WZ201, N_("schema error"), N_("fix the key or value named; unknown keys are not ignored")),
    (WZ202, N_("duplicate or reserved id"), N_("ids must be unique in their scope; rename one")),
    (WZ203, N_("weights do not add up"), N_("a category's weight is the sum of its indicators'")),
    (
        WZ204,
        N_("shares do not add up to 100%, or missing items"),
        N_("item shares of an indicator must add up to exactly 100%"),
    ),
    (
        WZ205,
        N_("credit, cap or deduction out of bounds"),
        N_("credits and caps are parts of the weight, at most the item's share"),
    ),
    (
        WZ206,
        N_("unknown reference"),
        N_("name a declared group, catalog, department or enum fact"),
    ),
    (
        WZ207,
        N_("levels do not match the enum"),
        N_("give a credit for every option and no other"),
    ),
    (WZ208, N_("empty range"), N_("min must not exceed max")),
    (
        WZ209,
        N_("weight has the wrong sign"),
        N_("penalty weights are negative, all others positive"),
    ),
    (
        WZ210,
        N_("a 单项否决 (veto) category has the wrong shape"),
        N_("weight 0; its indicators weigh 0 and hold facts and vetoes only"),
    ),
    (
        WZ211,
        N_("a gate or grade reads a score it comes before (a cycle)"),
        N_("a gate reads base and base categories; a grade reads any score"),
    ),
    (
        WZ212,
        N_("a grade rule can never give its grade"),
        N_("an earlier rule always holds, or its condition never does: reorder or delete it"),
    ),
    (
        WZ213,
        N_("a gate on a category that cannot have one"),
        N_("only bonus and penalty categories are scored on a condition"),
    ),
    (
        WZ250,
        N_("extends: the base rulebook cannot be found or read"),
        N_("name a file relative to the extending one (extends: ../2023.yaml) or bundled:2023"),
    ),
    (WZ251, N_("extends: rulebooks extend each other in a cycle"), N_("break the cycle")),
    (
        WZ252,
        N_("extends: chain too long"),
        N_("at most 5 steps (extends.MAX_EXTENDS_DEPTH); extend a rulebook nearer the root"),
    ),
    (
        WZ253,
        N_("extends: edit, removal or placement names an unknown id"),
        N_("fix the id (see the hint); to add a part, list it under add_…"),
    ),
    (
        WZ254,
        N_("extends: added part already exists"),
        N_("edit it by id instead, or remove_… it first to replace it whole"),
    ),
    (
        WZ255,
        N_("extends: malformed edit"),
        N_("edits are {id: changes}, add_… a list of full parts, remove_… a list of ids"),
    ),
    (WZ256, N_("extends: the extending rulebook needs its own id"), N_("give it a new id")),
    (
        WZ257,
        N_("extends: path not allowed"),
        N_("a relative .yaml/.yml/.json path inside the project, or bundled:NAME"),
    ),
    (
        WZ401,
        N_("findings header problem"),
        N_("start with 'wzeval: findings/1'; check the header keys"),
    ),
    (WZ402, N_("unknown indicator"), N_("use an indicator id (or exact name) from the rulebook")),
    (
        WZ403,
        N_("unknown fact or field"),
        N_("use a fact id the indicator declares (see the template)"),
    ),
    (
        WZ404,
        N_("missing fact, or not recorded yet (null, 待填写, empty)"),
        N_("record it, or score with --partial to leave it unassessed"),
    ),
    (
        WZ405,
        N_("wrong type or impossible value"),
        N_(
            "write the type named (true/false, 3, 2023-11-15); a usual slip (是, 80%, 2023/11/5,"
            " 三) is named with the value meant"
        ),
    ),
    (WZ406, N_("value out of range"), N_("stay within the fact's min and max")),
    (
        WZ407,
        N_("unknown department"),
        N_("use a unit name from the rulebook's roster (the suggestion names the nearest)"),
    ),
    (WZ408, N_("findings for another rulebook"), N_("score them with the rulebook they name")),
    (
        WZ410,
        N_("cannot be assessed"),
        N_("e.g. a spot check with no checks made; record it or use --partial"),
    ),
    (
        WZ411,
        N_("date outside the working-day calendar"),
        N_("check the year, or upgrade chinesecalendar for newer years"),
    ),
    (
        WZ414,
        N_("date later than the monitoring date (warning)"),
        N_("check the date and monitoring_date: what happened after it is not assessed"),
    ),
    (
        WZ412,
        N_("in-memory input is not plain data"),
        N_("pass dicts with text keys, lists, text, numbers, booleans, dates or None"),
    ),
    (
        WZ413,
        N_("in-memory input raised an error while being read"),
        N_("pass plain dicts and lists"),
    ),
    (
        WZ420,
        N_("one department scored twice in a batch"),
        N_("remove one of the files named, or merge them (score --merge-duplicates, wzeval merge)"),
    ),
    (
        WZ421,
        N_("merge: inputs are not findings of one department and rulebook"),
        N_("merge only findings/1 files of the same department and rulebook"),
    ),
    (
        WZ422,
        N_("merge: one fact recorded with different values"),
        N_("correct one file, or name the winning file with --prefer"),
    ),
    (
        WZ423,
        N_("merge: conflict resolved by --prefer (warning)"),
        N_("check that the file preferred holds the right value"),
    ),
    (
        WZ424,
        N_("merge: --prefer names a file not merged"),
        N_("name one of the files being merged"),
    ),
    (WZ425, N_("appeal: not an appeal document"), N_("start with 'wzeval: appeal/1'")),
    (
        WZ426,
        N_("appeal: the findings file named is missing or broken"),
        N_("findings: a path relative to the appeal file; fix that file's own issues"),
    ),
    (
        WZ427,
        N_("appeal: unknown department, or not the findings' department"),
        N_("write the department the findings name"),
    ),
    (
        WZ428,
        N_("appeal: schema error"),
        N_("fix the key or value named; see schemas/appeal.schema.json"),
    ),
    (
        WZ429,
        N_("appeal: unknown indicator or fact"),
        N_("name an indicator and a fact it declares (see the template)"),
    ),
    (WZ430, N_("appeal: one fact decided twice"), N_("decide each contested fact once")),
    (
        WZ431,
        N_("appeal: not yet decided (warning)"),
        N_("add decision: {result, reviewer, date, reason} after review"),
    ),
    (
        WZ432,
        N_("compare: one department twice in a round"),
        N_("one file per department and round; merge first"),
    ),
    (
        WZ433,
        N_("compare: a round has no findings that score"),
        N_("check the folder and its files' issues"),
    ),
    (WZ500, N_("evaluation failed"), N_("read the message; it names the indicator and rule")),
    (WZ501, N_("a count is not a whole number ≥ 0"), N_("check the facts the count reads")),
    (WZ502, N_("more checks passed than made"), N_("passed checks cannot exceed checks made")),
    (WZ503, N_("a given score is out of range"), N_("a given score lies between 0 and out_of")),
    (WZ901, N_("output exists"), N_("choose another path or pass --force; nothing was written")),
    (WZ902, N_("usage error"), N_("see wzeval COMMAND --help")),
    (
        WZ910,
        N_("not a rulebook, findings or rule tests"),
        N_("start with 'wzeval: rulebook/1', 'wzeval: findings/1' or 'wzeval: ruletests/1'"),
    ),
    (
        WZ911,
        N_("findings not checked: their rulebook did not load"),
        N_("fix the rulebook's own issues, or pass --rulebook PATH"),
    ),
    (WZ912, N_("no .yaml/.yml/.json file in a folder"), N_("check the folder given")),
    (
        WZ913,
        N_("output is not a regular file (folder, device, pipe)"),
        N_("give -o the path of a report file; --force does not override this"),
    ),
    (
        WZ914,
        N_("output is an input of the run (after symlinks)"),
        N_("--force replaces an old report, never an input: choose another -o path"),
    ),
    (
        WZ915,
        N_("output could not be written (full disk, read-only folder)"),
        N_("free space or choose another -o path; the old file is unchanged"),
    ),
    (
        WZ920,
        N_("openpyxl is not installed (.xlsx files cannot be read or written)"),
        N_("reinstall wzeval, which depends on it: pip install wzeval (exit 2)"),
    ),
    (
        WZ921,
        N_("Hypothesis is not installed (wzeval verify cannot run)"),
        N_("pip install 'wzeval[verify]' (exit 2)"),
    ),
]

#: The WZ3xx codes of the expression language: what each means (their fix is the hint).
_EXPRESSION_MEANINGS: dict[str, str] = {
    WZ301: N_("the expression is not valid Python expression syntax"),
    WZ302: N_("unknown name: not declared as a fact or derived value"),
    WZ303: N_("call of something other than a whitelisted function by plain name"),
    WZ304: N_("type mismatch: an operand, argument or the result has the wrong type"),
    WZ305: N_("the expression passes a safety limit (length, nesting, size, literal)"),
    WZ306: N_("unknown record field in a records helper"),
    WZ307: N_("wrong number of arguments for a function"),
    WZ308: N_("keyword arguments are not supported"),
    WZ309: N_("unsupported syntax (await, yield, bytes, complex, ..., 1e3 notation)"),
    WZ310: N_("a date lies outside the working-day calendar (CalendarError, at evaluation)"),
    WZ311: N_("attribute access is not allowed"),
    WZ312: N_("subscripts and slices are not allowed"),
    WZ313: N_("lambda is not allowed"),
    WZ314: N_("comprehensions and generator expressions are not allowed"),
    WZ315: N_("f-strings are not allowed"),
    WZ316: N_("operator not allowed (%, **, bitwise operators, @, ~)"),
    WZ317: N_("assignment expressions (:=) are not allowed"),
    WZ318: N_("starred unpacking (*x) is not allowed"),
    WZ319: N_("dict and set literals are not allowed"),
    WZ320: N_("division by zero (at evaluation)"),
    WZ321: N_("a nullable value is None where a value is needed (at evaluation)"),
    WZ322: N_("mean, min or max of an empty list (at evaluation)"),
    WZ323: N_("an argument is out of range, e.g. an invalid date (at evaluation)"),
    WZ324: N_("the environment has no value for a name the expression reads"),
    WZ325: N_("an environment value does not match its declared type"),
    WZ326: N_("a number grows past MAX_NUMBER_BITS (at evaluation)"),
    WZ329: N_("evaluation failed unexpectedly (a wzeval bug; please report it)"),
    WZ330: N_("a compatibility character (NFKC would change it) outside a string literal"),
    WZ331: N_("a bidirectional control character (Trojan Source) in the expression"),
}

_FIX_EXPRESSION = N_("rewrite the expression; the issue's hint says how")

#: Every code, sorted, with its meaning and fix.
CODES: dict[str, Code] = {}
for _code, _title, _fix in _TABLE:
    CODES[_code] = Code(_code, _title, _fix)
for _code, _meaning in _EXPRESSION_MEANINGS.items():
    CODES.setdefault(_code, Code(_code, _meaning, _FIX_EXPRESSION))
CODES = dict(sorted(CODES.items()))
