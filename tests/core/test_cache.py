"""The validation cache (:mod:`wzeval.core._cache`): a hit gives exactly what validating gives,
and anything doubtful is a miss.

Each test has a cache folder of its own (``tests/conftest.py`` sets
``WZEVAL_CACHE_DIR``).  A hit is told from a miss by making validation itself fail
(:func:`_no_validation`): if the command still answers, the answer came from the cache.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval.core._cache as cache
import wzeval.scoring._api
from wzeval import cli

SHIPPED = sorted(p for p in (ROOT / "rulebooks").glob("*.yaml") if ".tests." not in p.name)
EXAMPLE = ROOT / "examples" / "findings" / "shengtaihuanjing-strong.yaml"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _entries() -> list[Path]:
    return sorted((cache.cache_dir() / "rulebooks").glob("*.json"))


def _refusing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validating a rulebook raises: only a cache hit can answer."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("validated although the cache should have answered")

    monkeypatch.setattr(wzeval.scoring._api, "rulebook_from_document", refuse)


def _copy(
    src: Path, dst: Path, *, prefix: bytes = b"", edit: tuple[str, str] | None = None
) -> Path:
    text = src.read_text(encoding="utf-8")
    if edit is not None:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    dst.write_bytes(prefix + text.encode("utf-8"))
    return dst


@pytest.fixture
def rulebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The shipped rulebooks, and copies with a warning (a byte-order mark), with a
    schema error and with an expression error (its column found from an offset), all
    under relative names as a user types them."""
    monkeypatch.chdir(tmp_path)
    src = ROOT / "rulebooks" / "2023.yaml"
    made = [
        _copy(src, Path("bom.yaml"), prefix=b"\xef\xbb\xbf"),
        _copy(src, Path("unknown-key.yaml"), edit=("year: 2023", "year: 2023\nyaer: 2023")),
        _copy(src, Path("bad-check.yaml"), edit=('"org_info_published"', '"org_info_publishd"')),
    ]
    return [*SHIPPED, *made]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hit_gives_what_validating_gives(
    rulebooks: list[Path], fmt: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = []
    for rb in rulebooks:
        argv = ["validate", str(rb), "--format", fmt, "--lang", lang]
        monkeypatch.setenv("WZEVAL_NO_CACHE", "1")
        reference = _run(*argv)
        codes.append(reference[0])
        monkeypatch.delenv("WZEVAL_NO_CACHE")
        assert _run(*argv) == reference  # a miss, which stores
        with monkeypatch.context() as m:
            _refusing(m)
            assert _run(*argv) == reference, rb  # a hit
    assert codes == [0, 0, 0, 0, 1, 1]  # the warning passes, the errors fail
    assert len(_entries()) == len(rulebooks)


def test_extends_is_not_stored(tmp_path: Path) -> None:
    draft = ROOT / "rulebooks" / "examples" / "2024-draft.yaml"
    first = _run("validate", str(draft), "--format", "json")
    assert first[0] == 0
    assert _entries() == []
    assert _run("validate", str(draft), "--format", "json") == first


def test_many_rulebooks_at_once_and_a_folder(
    rulebooks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    named = [str(p) for p in rulebooks]
    first = _run("validate", *named, "--format", "json")
    assert first[0] == 1
    with monkeypatch.context() as m:
        _refusing(m)
        assert _run("validate", *named, "--format", "json") == first
    # a folder with rule tests and an extending rulebook: validated, the same answer
    folder = _run("validate", str(ROOT / "rulebooks"))
    assert folder == _run("validate", str(ROOT / "rulebooks"), "--no-cache")
    assert folder[0] == 0


def test_a_warning_is_kept(rulebooks: list[Path]) -> None:
    bom = next(p for p in rulebooks if p.name == "bom.yaml")
    miss = _run("validate", str(bom), "--strict", "--lang", "en")
    assert "WZ104" in miss[1] and miss[0] == 1
    assert _run("validate", str(bom), "--strict", "--lang", "en") == miss
    (entry,) = _entries()
    assert b"WZ104" in entry.read_bytes()


def test_score_and_lint_are_the_same_with_a_warm_cache() -> None:
    rb = str(ROOT / "rulebooks" / "2023.yaml")
    cold = [
        _run("score", str(EXAMPLE), "--rulebook", rb, "--format", fmt)
        for fmt in ("text", "json", "csv")
    ]
    lint = _run("lint", rb, "--format", "json")
    both = _run("validate", str(EXAMPLE), "--rulebook", rb, "--format", "json")
    _run("validate", rb)
    assert _entries()
    assert [
        _run("score", str(EXAMPLE), "--rulebook", rb, "--format", fmt)
        for fmt in ("text", "json", "csv")
    ] == cold
    assert _run("lint", rb, "--format", "json") == lint
    # findings with their rulebook: not answered from the cache, the same answer
    assert _run("validate", str(EXAMPLE), "--rulebook", rb, "--format", "json") == both
    assert _run("validate", rb, str(EXAMPLE)) == _run("validate", rb, str(EXAMPLE), "--no-cache")


def _warm(rb: Path) -> tuple[tuple[int, str, str], Path]:
    first = _run("validate", str(rb), "--format", "json")
    assert _run("validate", str(rb), "--format", "json") == first
    (entry,) = _entries()
    return first, entry


def _answer_is_validated(rb: Path, expected: tuple[int, str, str], *extra: str) -> None:
    """The cache is not trusted: validation runs (it is spied on), and says the same."""
    calls: list[object] = []
    real = wzeval.scoring._api.rulebook_from_document

    def spy(doc: object) -> object:
        calls.append(doc)
        return real(doc)  # type: ignore[arg-type]

    original, wzeval.scoring._api.rulebook_from_document = real, spy  # type: ignore[assignment]
    try:
        assert _run("validate", str(rb), "--format", "json", *extra) == expected
    finally:
        wzeval.scoring._api.rulebook_from_document = original
    assert len(calls) == 1


def _bad_copy(tmp_path: Path) -> Path:
    return _copy(
        ROOT / "rulebooks" / "2023.yaml",
        tmp_path / "bad.yaml",
        edit=("year: 2023", "year: 2023\nyaer: 2023"),
    )


@pytest.mark.parametrize(
    "tamper",
    [
        "flip a byte of the data",
        "truncate",
        "empty",
        "not UTF-8",
        "forge: no errors, without the key",
        "forge: no errors, signed with another key",
        "an entry of another file, signed",
        "a folder in its place",
    ],
)
def test_a_tampered_entry_is_ignored_and_rebuilt(tmp_path: Path, tamper: str) -> None:
    rb = _bad_copy(tmp_path)
    good = ROOT / "rulebooks" / "2023.yaml"
    expected, entry = _warm(rb)
    assert expected[0] == 1  # the unknown key is an error
    data = entry.read_bytes()
    _mac, _, body = data.partition(b"\n")
    if tamper == "flip a byte of the data":
        entry.write_bytes(data[:-5] + bytes([data[-5] ^ 1]) + data[-4:])
    elif tamper == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif tamper == "empty":
        entry.write_bytes(b"")
    elif tamper == "not UTF-8":
        entry.write_bytes(b"\xff\xfe" + data)
    elif tamper.startswith("forge"):
        import hashlib
        import hmac

        forged = json.loads(body)
        forged["issues"] = []
        new = json.dumps(forged).encode()
        secret = os.urandom(32) if "another key" in tamper else b""
        entry.write_bytes(hmac.new(secret, new, hashlib.sha256).hexdigest().encode() + b"\n" + new)
    elif tamper == "an entry of another file, signed":
        _run("validate", str(good))
        (other,) = [e for e in _entries() if e != entry]
        entry.write_bytes(other.read_bytes())  # a good rulebook's "no issues", authentic
    elif tamper == "a folder in its place":
        entry.unlink()
        entry.mkdir()
    _answer_is_validated(rb, expected)
    if tamper != "a folder in its place":  # rebuilt: the next run is a hit again
        assert entry.read_bytes() == data
        _answer_is_validated_not(rb, expected)


def _answer_is_validated_not(rb: Path, expected: tuple[int, str, str]) -> None:
    real = wzeval.scoring._api.rulebook_from_document

    def refuse(doc: object) -> object:
        raise AssertionError("validated although the cache should have answered")

    wzeval.scoring._api.rulebook_from_document = refuse  # type: ignore[assignment]
    try:
        assert _run("validate", str(rb), "--format", "json") == expected
    finally:
        wzeval.scoring._api.rulebook_from_document = real


@pytest.mark.parametrize("key", ["readable by others", "missing", "short", "a link"])
def test_an_untrusted_key_is_not_used(tmp_path: Path, key: str) -> None:
    rb = _bad_copy(tmp_path)
    expected, _entry = _warm(rb)
    secret = cache.cache_dir() / "key"
    if key == "readable by others":
        secret.chmod(0o644)
    elif key == "missing":
        secret.unlink()
    elif key == "short":
        secret.write_bytes(secret.read_bytes()[:16])
    elif key == "a link":
        real = tmp_path / "real-key"
        real.write_bytes(secret.read_bytes())
        real.chmod(0o600)
        secret.unlink()
        secret.symlink_to(real)
    _answer_is_validated(rb, expected)
    # a new key, private, was made in its place; the entry rebuilt under it
    assert not secret.is_symlink() and secret.stat().st_mode & 0o777 == 0o600
    assert len(secret.read_bytes()) == 32
    _answer_is_validated_not(rb, expected)


def test_edited_content_is_a_miss(tmp_path: Path) -> None:
    rb = _bad_copy(tmp_path)
    _warm(rb)
    rb.write_text(rb.read_text(encoding="utf-8").replace("yaer: 2023\n", ""), encoding="utf-8")
    code, out, _err = _run("validate", str(rb), "--lang", "en")
    assert (code, out) == (0, "1 file, 0 errors, 0 warnings\n")
    assert len(_entries()) == 2


def test_another_version_or_code_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rb = _bad_copy(tmp_path)
    expected, _entry = _warm(rb)
    cache._code_fingerprint.cache_clear()
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    try:
        _answer_is_validated(rb, expected)
        assert len(_entries()) == 2
    finally:
        cache._code_fingerprint.cache_clear()
    # an edited module of wzeval (same version): its time changes the fingerprint
    module = Path(cache.__file__)
    before = cache._code_fingerprint()
    st = module.stat()
    try:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        cache._code_fingerprint.cache_clear()
        assert cache._code_fingerprint() != before
    finally:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
        cache._code_fingerprint.cache_clear()
    assert cache._code_fingerprint() == before


def test_another_name_or_language_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rb = _bad_copy(tmp_path)
    _warm(rb)
    monkeypatch.chdir(tmp_path)
    relative = _run("validate", "bad.yaml", "--format", "json")
    assert relative[1] != _run("validate", str(rb), "--format", "json")[1]  # names differ
    assert '"file": "bad.yaml"' in relative[1]
    english = _run("validate", "bad.yaml", "--lang", "en")
    assert "unknown key 'yaer'" in english[1]
    assert len(_entries()) == 3
    assert _run("validate", "bad.yaml", "--lang", "en") == english


def test_an_unwritable_cache_folder_does_not_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("WZEVAL_CACHE_DIR", str(blocker / "cache"))
    rb = _bad_copy(tmp_path)
    monkeypatch.setenv("WZEVAL_NO_CACHE", "1")
    expected = _run("validate", str(rb), "--format", "json")
    monkeypatch.delenv("WZEVAL_NO_CACHE")
    assert _run("validate", str(rb), "--format", "json") == expected
    assert _run("validate", str(rb), "--format", "json") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "bad.yaml"]


@pytest.mark.parametrize("how", ["WZEVAL_NO_CACHE=1", "--no-cache"])
def test_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    rb = _bad_copy(tmp_path)
    expected, entry = _warm(rb)
    extra = ["--no-cache"] if how == "--no-cache" else []
    with monkeypatch.context() as m:
        if not extra:
            m.setenv("WZEVAL_NO_CACHE", "1")
        _answer_is_validated(rb, expected, *extra)  # although a good entry is there
        entry.unlink()
        _answer_is_validated(rb, expected, *extra)
        assert _entries() == []  # nothing written
    m.undo()
    _answer_is_validated(rb, expected)  # on again
    _answer_is_validated_not(rb, expected)


def test_the_cache_folder_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WZEVAL_CACHE_DIR", "/x/own")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/xdg")
    assert cache.cache_dir() == Path("/x/own")
    monkeypatch.delenv("WZEVAL_CACHE_DIR")
    assert cache.cache_dir() == Path("/x/xdg/wzeval")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # ignored, as the spec says
    assert cache.cache_dir() == Path.home() / ".cache" / "wzeval"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "wzeval"


def test_a_hit_loads_no_models(tmp_path: Path) -> None:
    """What the cache is for: a hit imports neither pydantic nor wzeval's models (the
    cold-start budget of docs/performance.md, goal 5)."""
    rb = str(ROOT / "rulebooks" / "2023.yaml")
    probe = (
        "import sys\nfrom wzeval.cli import run\n"
        f"code = run(['validate', {rb!r}], sys.stdout, sys.stderr)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'"
        " or m in ('wzeval.model._models', 'wzeval.checking._checks')))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "WZEVAL_LANG": "en"}
    miss = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    hit = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert miss.returncode == hit.returncode == 0, miss.stderr + hit.stderr
    assert "pydantic" in miss.stdout and "wzeval.model._models" in miss.stdout
    assert hit.stdout == "1 file, 0 errors, 0 warnings\n[]\n"
