"""A per-user cache of rulebook validations, so ``wzeval validate RULEBOOK`` on an
unchanged rulebook answers without loading pydantic's model machinery.

Why: a cold ``wzeval validate rulebooks/2023.yaml`` spends most of its time
creating wzeval's pydantic model classes (pydantic builds a validator per class),
reading the YAML with positions and checking the rulebook — work whose result,
the list of issues, depends only on the file's bytes, the name it was given by,
the language and the code doing the work.  Defining a single pydantic model
already costs more than the 1.5× the import floor issue 15 asks for, so only not
doing the work meets it (docs/performance.md, section 3).

What an entry holds: the issues of one rulebook file, as plain JSON data, never
code.  Its key (:func:`_key`) covers

* the file's bytes (SHA-256 of what is read on each hit) and the name and absolute
  path it was given by (issues print the name);
* wzeval's version *and* the size and modification time of every file of the
  installed package (an editable install changes code without a new version), of
  the dependencies that take part (pydantic, pydantic-core, ruamel.yaml,
  simpleeval, chinesecalendar), the Python version, the language messages are
  made in and ``WZEVAL_REFERENCE``.

A rulebook that ``extends:`` another is never stored: its result also depends on
other files, the working directory and the repository around it.

Safety: every entry is authenticated with HMAC-SHA256 under a per-user key kept
in ``<cache dir>/key`` (mode 0600, owned by the user, outside the entries), and its
data is then checked field by field.  An entry that is missing, unreadable,
truncated, from another version, for other content, malformed or forged is ignored
silently and the rulebook is validated again; nothing in it can run code.  Entries
are written atomically (a temporary file renamed into place), and a cache folder
that cannot be written never fails a command.

Where: ``$WZEVAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/wzeval``, else
``~/.cache/wzeval``.  ``WZEVAL_NO_CACHE=1`` (or ``--no-cache``) switches it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from wzeval._version import __version__
from wzeval.core._codes import WZ104
from wzeval.core._fileio import read_at_most
from wzeval.core._i18n import language
from wzeval.core._issues import Issue, PathPart, Position, Severity

__all__ = [
    "DIR_VAR",
    "OFF_VAR",
    "cache_dir",
    "cached_rulebook_issues",
    "enabled",
    "remember_rulebook",
]

#: Where the cache lives, when set.
DIR_VAR = "WZEVAL_CACHE_DIR"
#: ``1`` switches the cache off.
OFF_VAR = "WZEVAL_NO_CACHE"
#: The entries' format; a change of shape gets a new name (and new keys).
FORMAT = "wzeval-cache/1"
#: The dependencies whose code takes part in validating a rulebook.
_DEPENDENCIES = ("pydantic", "pydantic_core", "ruamel.yaml", "simpleeval", "chinese_calendar")
#: Rulebooks larger than this are not looked up (the loader's own limit is lower).
_MAX_BYTES = 64 << 20
_BOM = b"\xef\xbb\xbf"


class _Read(Protocol):
    """What :func:`remember_rulebook` reads of a :class:`wzeval.reading._yamlcore.Document` (this
    module stays below the loader: a cache hit never imports it)."""

    @property
    def text(self) -> str: ...
    @property
    def issues(self) -> list[Issue]: ...


def enabled() -> bool:
    """Whether the cache is used: not with ``WZEVAL_NO_CACHE`` set to anything but empty
    or ``0``.  Read at each call (a test, or a caller, may set it)."""
    return os.environ.get(OFF_VAR, "").strip() in ("", "0")


def cache_dir() -> Path:
    """``$WZEVAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/wzeval``, else ``~/.cache/wzeval``.
    Read at each call, so a test (or a caller) may point it elsewhere."""
    own = os.environ.get(DIR_VAR, "")
    if own:
        return Path(own)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "wzeval"
    return Path(os.path.expanduser("~")) / ".cache" / "wzeval"


def _stat_line(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path} missing"
    return f"{path} {st.st_size} {st.st_mtime_ns}"


def _locate(module: str) -> str | None:
    """The file a dependency is imported from, found along ``sys.path`` as the path
    finder looks for a package or a module (``importlib.util.find_spec`` would do, at
    the price of importing :mod:`importlib.util`, more than the whole lookup)."""
    parts = module.split(".")
    for entry in sys.path:
        base = os.path.join(entry or os.getcwd(), *parts)
        for candidate in (os.path.join(base, "__init__.py"), base + ".py"):
            if os.path.isfile(candidate):
                return candidate
    return None


@functools.cache
def _code_fingerprint() -> str:
    """What stands for the code that validates: wzeval's files, the dependencies', Python.

    Sizes and modification times rather than contents: reading the package's 1 MB of
    source would cost more than the cache saves, and installing or editing a file
    changes its time.  Computed once per process.
    """
    lines = [FORMAT, __version__, sys.version, sys.implementation.cache_tag or ""]
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            lines.append(_stat_line(os.path.join(folder, name)))
    for module in _DEPENDENCIES:
        origin = _locate(module)
        if origin is None:
            lines.append(f"{module} missing")
            continue
        lines.append(f"{module} {_stat_line(origin)} {_stat_line(os.path.dirname(origin))}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def _key(name: str, raw: bytes) -> str:
    """The entry's name: the code, the environment that changes messages, the file."""
    parts = [
        _code_fingerprint(),
        language(),
        os.environ.get("WZEVAL_REFERENCE", ""),
        name,
        os.path.abspath(name),
        hashlib.sha256(raw).hexdigest(),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _secret(create: bool) -> bytes | None:
    """The per-user key that authenticates entries, or ``None`` when there is none to
    trust: missing (and not ``create``), not a regular file of this user, readable or
    writable by others, or unreadable.  ``create`` makes a new one in place of such a
    file (every entry then fails authentication and is rebuilt)."""
    path = cache_dir() / "key"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            st = os.fstat(fd)
            own = not hasattr(os, "getuid") or st.st_uid == os.getuid()
            if stat.S_ISREG(st.st_mode) and own and not st.st_mode & 0o077:
                secret = os.read(fd, 64)
                if len(secret) == 32:
                    return secret
        finally:
            os.close(fd)
    except OSError:
        pass
    if not create:
        return None
    secret = os.urandom(32)
    return secret if _write_atomic(path, secret) else None


def _write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a 0600 temporary file renamed into place;
    ``False`` (and nothing left behind) when the folder cannot be written."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def _read_bounded(path: Path | str, limit: int) -> bytes | None:
    """A regular file's bytes, at most ``limit``; ``None`` for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            raw = read_at_most(fd, limit)
        finally:
            os.close(fd)
    except OSError:
        return None
    return raw if len(raw) <= limit else None


def _entry_path(key: str) -> Path:
    return cache_dir() / "rulebooks" / f"{key}.json"


def _issue_data(issue: Issue) -> dict[str, object]:
    pos = issue.position
    return {
        "code": issue.code,
        "message": issue.message,
        "path": list(issue.path),
        "position": None if pos is None else [pos.file, pos.line, pos.col],
        "severity": issue.severity.value,
        "hint": issue.hint,
        "extra": dict(issue.extra),
    }


def _is_int(value: object) -> bool:
    return type(value) is int


def _issue_of(data: object) -> Issue | None:
    """The issue an entry describes, or ``None`` if any field is not what it should be."""
    if not isinstance(data, dict) or set(data) != {
        "code",
        "message",
        "path",
        "position",
        "severity",
        "hint",
        "extra",
    }:
        return None
    code, message, path = data["code"], data["message"], data["path"]
    position, severity, hint, extra = (
        data["position"],
        data["severity"],
        data["hint"],
        data["extra"],
    )
    if not (isinstance(code, str) and isinstance(message, str) and isinstance(path, list)):
        return None
    if not all(isinstance(p, str) or _is_int(p) for p in path):
        return None
    if severity not in {s.value for s in Severity}:
        return None
    if hint is not None and not isinstance(hint, str):
        return None
    if not isinstance(extra, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
    ):
        return None
    pos: Position | None = None
    if position is not None:
        if not (
            isinstance(position, list)
            and len(position) == 3
            and isinstance(position[0], str)
            and _is_int(position[1])
            and _is_int(position[2])
        ):
            return None
        pos = Position(position[0], position[1], position[2])
    parts: tuple[PathPart, ...] = tuple(path)
    return Issue(code, message, parts, pos, Severity(severity), hint, extra)


def _decode(body: bytes, key: str) -> list[Issue] | None:
    try:
        data = json.loads(body)
    except ValueError:  # JSON and UTF-8 errors alike
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    if data.get("kind") != "rulebook" or not isinstance(data.get("issues"), list):
        return None
    issues = [_issue_of(item) for item in data["issues"]]
    return None if any(i is None for i in issues) else [i for i in issues if i is not None]


def cached_rulebook_issues(path: Path, *, use: bool = True) -> list[Issue] | None:
    """The issues validating the rulebook file ``path`` gave when it last had these bytes,
    or ``None`` when the cache has no trustworthy answer (then validate it).  ``use=False``
    (``--no-cache``) or ``WZEVAL_NO_CACHE=1``: always ``None``."""
    if not use or not enabled():
        return None
    try:
        return _lookup(path)
    except (OSError, ValueError, RuntimeError):  # whatever the folder holds: a miss
        return None


def _lookup(path: Path) -> list[Issue] | None:
    raw = _read_bounded(path, _MAX_BYTES)
    if raw is None:
        return None
    secret = _secret(create=False)
    if secret is None:
        return None
    key = _key(str(path), raw)
    stored = _read_bounded(_entry_path(key), _MAX_BYTES)
    if stored is None:
        return None
    mac, _sep, body = stored.partition(b"\n")
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(mac, expected):
        return None
    return _decode(body, key)


def remember_rulebook(
    path: Path, doc: _Read, extends: bool, issues: Sequence[Issue], *, use: bool = True
) -> None:
    """Store ``issues``, the result of validating the rulebook file ``path`` read as
    ``doc``.  Not stored: a rulebook that ``extends:`` another, and a file whose bytes
    no longer read as ``doc.text`` (it changed since it was read; the result belongs to
    the old bytes).  ``use=False`` or ``WZEVAL_NO_CACHE=1``: nothing is written.
    Failures (an unwritable folder, a full disk) are silent."""
    if not use or not enabled() or extends:
        return
    # a cache that cannot be written (or a value JSON cannot hold) never fails a command
    with contextlib.suppress(OSError, ValueError, TypeError, RuntimeError):
        _store(path, doc, issues)


def _store(path: Path, doc: _Read, issues: Sequence[Issue]) -> None:
    raw = _read_bounded(path, _MAX_BYTES)
    if raw is None:
        return
    bom = raw.startswith(_BOM)
    try:
        same = raw[3 if bom else 0 :].decode("utf-8") == doc.text
    except UnicodeDecodeError:
        return
    if not same or bom != any(i.code == WZ104 for i in doc.issues):
        return  # a byte-order mark added or taken away since: the warning would differ
    secret = _secret(create=True)
    if secret is None:
        return
    key = _key(str(path), raw)
    body = json.dumps(
        {
            "format": FORMAT,
            "key": key,
            "kind": "rulebook",
            "issues": [_issue_data(i) for i in issues],
        },
        separators=(",", ":"),
    ).encode("ascii")  # escapes: any string, lone surrogates of odd file names included
    mac = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
    _write_atomic(_entry_path(key), mac + b"\n" + body)
