"""The WZ3xx issue codes of the expression language and what each means.

Kept apart from the modules that raise them so :mod:`wzeval.output._issuecodes` can read the
table without loading the checker or the evaluator.
"""

from __future__ import annotations

from wzeval.core._i18n import N_

CODES: dict[str, str] = {
    "WZ301": N_("the expression is not valid Python expression syntax"),
    "WZ302": N_("unknown name: not declared as a fact or derived value"),
    "WZ303": N_("call of something other than a whitelisted function by plain name"),
    "WZ304": N_("type mismatch: an operand, argument or the result has the wrong type"),
    "WZ305": N_("the expression passes a safety limit (length, nesting, size, literal)"),
    "WZ306": N_("unknown record field in a records helper"),
    "WZ307": N_("wrong number of arguments for a function"),
    "WZ308": N_("keyword arguments are not supported"),
    "WZ309": N_("unsupported syntax (await, yield, bytes, complex, ..., 1e3 notation)"),
    "WZ310": N_("a date lies outside the working-day calendar (CalendarError, at evaluation)"),
    "WZ311": N_("attribute access is not allowed"),
    "WZ312": N_("subscripts and slices are not allowed"),
    "WZ313": N_("lambda is not allowed"),
    "WZ314": N_("comprehensions and generator expressions are not allowed"),
    "WZ315": N_("f-strings are not allowed"),
    "WZ316": N_("operator not allowed (%, **, bitwise operators, @, ~)"),
    "WZ317": N_("assignment expressions (:=) are not allowed"),
    "WZ318": N_("starred unpacking (*x) is not allowed"),
    "WZ319": N_("dict and set literals are not allowed"),
    "WZ320": N_("division by zero (at evaluation)"),
    "WZ321": N_("a nullable value is None where a value is needed (at evaluation)"),
    "WZ322": N_("mean, min or max of an empty list (at evaluation)"),
    "WZ323": N_("an argument is out of range, e.g. an invalid date (at evaluation)"),
    "WZ324": N_("the environment has no value for a name the expression reads"),
    "WZ325": N_("an environment value does not match its declared type"),
    "WZ326": N_("a number grows past MAX_NUMBER_BITS (at evaluation)"),
    "WZ329": N_("evaluation failed unexpectedly (a wzeval bug; please report it)"),
    "WZ330": N_("a compatibility character (NFKC would change it) outside a string literal"),
    "WZ331": N_("a bidirectional control character (Trojan Source) in the expression"),
}
