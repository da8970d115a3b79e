"""Files: outputs are written atomically and never over a file without ``--force``;
inputs are never modified.

An output is written to a temporary file beside the target and moved into place, so
an interrupted run (a renderer or the disk failing, Ctrl-C) leaves either nothing or
the old file, byte for byte, and no temporary file behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.paths import ROOT

KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
FINDINGS = ROOT / "tests" / "findings" / "kinds-a.yaml"
OLD = b"the user's own file\n\xe5\xb8\x82\n"


def cli() -> Any:
    try:
        from wzeval import cli
    except ImportError as exc:  # pragma: no cover - the CLI is being written
        pytest.skip(f"wzeval.cli is not importable yet: {exc}")
    return cli


def wz(*args: str | Path) -> tuple[int, str, str]:
    """Run the CLI in-process and return (exit code, stdout, stderr); never a traceback."""
    out, err = io.StringIO(), io.StringIO()
    code = cli().run([str(a) for a in args], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file under ``roots`` (or the file itself) with the SHA-256 of its bytes."""
    out: dict[str, str] = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def leftovers(folder: Path) -> list[str]:
    """Temporary files an output write could leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def batch(tmp_path: Path) -> Iterator[Path]:
    """A folder with three findings files for the kinds rulebook, and the rulebook."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(KINDS, folder / "kinds.yaml")
    text = FINDINGS.read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text.replace("department: 甲局", "department: 乙局"), "utf-8")
    (folder / "c.yaml").write_text(text.replace("{a: true, b: false", "{a: false, b: false"))
    yield folder


# ---------------------------------------------------------------- no overwrite without --force

RB = ["--rulebook", "{in}/kinds.yaml"]
#: Commands that write ``-o {o}``; ``{in}`` is the input folder.
OUTPUT_COMMANDS: dict[str, list[str]] = {
    "score": ["score", "{in}/a.yaml", *RB, "-o", "{o}"],
    "score-json": ["score", "{in}/a.yaml", *RB, "--format", "json", "-o", "{o}"],
    "score-batch": ["score", "{in}/a.yaml", "{in}/b.yaml", *RB, "-o", "{o}"],
    "template": ["template", "--department", "甲局", *RB, "-o", "{o}"],
    "schema": ["schema", "findings", "-o", "{o}"],
}


def command(name: str, folder: Path, target: Path) -> list[str]:
    return [
        a.replace("{in}", str(folder)).replace("{o}", str(target)) for a in OUTPUT_COMMANDS[name]
    ]


@pytest.mark.parametrize("name", list(OUTPUT_COMMANDS))
def test_existing_output_is_kept_byte_identical_without_force(
    batch: Path, tmp_path: Path, name: str
) -> None:
    """``-o existing`` without --force exits 2, leaves the file byte-identical, writes nothing."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "report.txt"
    target.write_bytes(OLD)
    mtime = target.stat().st_mtime_ns
    code, stdout, stderr = wz(*command(name, batch, target))
    assert code == 2, stderr
    assert "--force" in stderr
    assert target.read_bytes() == OLD
    assert target.stat().st_mtime_ns == mtime
    assert stdout == ""
    assert leftovers(out_dir) == []


@pytest.mark.parametrize("name", list(OUTPUT_COMMANDS))
def test_force_replaces_the_output(batch: Path, tmp_path: Path, name: str) -> None:
    """With --force the existing output is replaced whole, and no temporary file remains."""
    target = tmp_path / "report.txt"
    target.write_bytes(OLD)
    code, _, stderr = wz(*command(name, batch, target), "--force")
    assert code == 0, stderr
    assert target.read_bytes() != OLD and target.stat().st_size > 0
    assert leftovers(tmp_path) == []


def test_a_symlink_at_the_output_is_not_followed_without_force(batch: Path, tmp_path: Path) -> None:
    """A symbolic link where the output goes counts as existing: its target is untouched."""
    victim = tmp_path / "victim.txt"
    victim.write_bytes(OLD)
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    code, _, _ = wz("score", batch / "a.yaml", "--rulebook", batch / "kinds.yaml", "-o", link)
    assert code == 2
    assert victim.read_bytes() == OLD and link.is_symlink()


def test_xlsx_output_is_not_overwritten_without_force(batch: Path, tmp_path: Path) -> None:
    """The XLSX writer keeps the same promise as the text outputs."""
    pytest.importorskip("openpyxl")
    target = tmp_path / "scores.xlsx"
    target.write_bytes(OLD)
    args = ["score", batch / "a.yaml", "--rulebook", batch / "kinds.yaml", "--format", "xlsx"]
    code, _, stderr = wz(*args, "-o", target)
    assert code == 2, stderr
    assert target.read_bytes() == OLD
    assert wz(*args, "-o", target, "--force")[0] == 0
    assert target.read_bytes()[:2] == b"PK"  # a zip container, written whole
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------ interrupted writes


class Interrupt(KeyboardInterrupt):
    """Ctrl-C, simulated at a chosen moment."""


def _batch_args(batch: Path, target: Path) -> list[str | Path]:
    return [
        "score",
        batch / "a.yaml",
        batch / "b.yaml",
        batch / "c.yaml",
        "--rulebook",
        batch / "kinds.yaml",
        "-o",
        target,
    ]


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing-with-force"])
@pytest.mark.parametrize("where", ["renderer", "scoring", "write", "fsync", "move"])
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_interrupted_batch_leaves_no_half_written_report(
    batch: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    existing: bool,
) -> None:
    """Ctrl-C while scoring, rendering, writing, syncing or moving: the target is absent (or
    the old file, byte for byte, under --force) and no temporary file is left behind."""
    import wzeval.output._files as output
    import wzeval.output._render as render

    cli()  # skips while the CLI is not importable
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "ranking.txt"
    if existing:
        target.write_bytes(OLD)

    def interrupt(*args: object, **kwargs: object) -> Any:
        raise Interrupt

    if where == "renderer":
        monkeypatch.setattr(render, "render_ranking_text", interrupt)
    elif where == "scoring":
        import wzeval.output._batch as batches

        real = batches.score_kept
        calls: list[Path] = []

        def second_file_interrupted(path: Path, *args: Any) -> Any:
            calls.append(path)
            if len(calls) == 2:
                raise Interrupt
            return real(path, *args)

        monkeypatch.setattr(batches, "score_kept", second_file_interrupted)
    elif where == "write":

        class HalfWriter:
            """A file object that writes half of what it is given, then is interrupted."""

            def __init__(self, fh: Any) -> None:
                self.fh = fh

            def __enter__(self) -> HalfWriter:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

            def write(self, data: bytes) -> int:
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                raise Interrupt

        real_fdopen = os.fdopen
        monkeypatch.setattr(
            output.os, "fdopen", lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k))
        )
    elif where == "fsync":
        monkeypatch.setattr(output.os, "fsync", interrupt)
    else:  # the moment of the move into place
        monkeypatch.setattr(output.os, "link", interrupt)
        monkeypatch.setattr(output.os, "replace", interrupt)

    args = _batch_args(batch, target) + (["--force"] if existing else [])
    code, stdout, stderr = wz(*args)
    assert code == 130, stderr
    assert "interrupted" in stderr
    if existing:
        assert target.read_bytes() == OLD
    else:
        assert not target.exists()
    assert leftovers(out_dir) == [], leftovers(out_dir)
    assert stdout == ""


def test_failing_disk_leaves_nothing(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError while writing (a full disk) exits 2 with one line; no file, no temp file."""
    import wzeval.output._files as output

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", disk_full)
    target = tmp_path / "ranking.txt"
    code, _, stderr = wz(*_batch_args(batch, target))
    assert code == 2
    assert "No space left on device" in stderr
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_missing_output_folder_writes_nothing(batch: Path, tmp_path: Path) -> None:
    """An output in a folder that does not exist exits 2; the folder is not created."""
    target = tmp_path / "nope" / "ranking.txt"
    code, _, _ = wz(*_batch_args(batch, target))
    assert code == 2
    assert not target.parent.exists()


# ---------------------------------------------------------------------- inputs untouched


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{in}"],
        ["validate", "--format", "json", "{in}/a.yaml", "{in}/kinds.yaml"],
        ["validate", "--strict", "--format", "github", "{in}"],
        ["score", "--rulebook", "{in}/kinds.yaml", "{in}/a.yaml"],
        [
            "score",
            "--rulebook",
            "{in}/kinds.yaml",
            "--format",
            "json",
            "{in}/a.yaml",
            "{in}/b.yaml",
        ],
        ["score", "--rulebook", "{in}/kinds.yaml", "--partial", "{in}"],
        [
            "score",
            "--rulebook",
            "{in}/kinds.yaml",
            "-o",
            "{out}/r.md",
            "--format",
            "markdown",
            "{in}",
        ],
        ["explain", "--rulebook", "{in}/kinds.yaml", "{in}/a.yaml", "checks"],
    ],
    ids=[
        "validate",
        "validate-json",
        "validate-strict",
        "score",
        "score-batch",
        "score-partial",
        "score-output",
        "explain",
    ],
)
def test_validate_and_score_never_modify_their_inputs(
    batch: Path, tmp_path: Path, args: list[str]
) -> None:
    """Every input file hashes the same before and after, and no file appears among them."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    argv = [a.replace("{in}", str(batch)).replace("{out}", str(out_dir)) for a in args]
    before = snapshot(batch, FINDINGS, KINDS)
    code, _, stderr = wz(*argv)
    assert code in (0, 1), stderr
    assert snapshot(batch, FINDINGS, KINDS) == before


def test_broken_inputs_are_not_modified_either(batch: Path) -> None:
    """Invalid, non-UTF-8 and BOM-prefixed inputs are read, reported and left as they were."""
    (batch / "bad.yaml").write_bytes(b"wzeval: findings/1\ndepartment: \xb6\xd4\n")
    (batch / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + FINDINGS.read_bytes())
    (batch / "tabs.yaml").write_bytes(b"wzeval: findings/1\nindicators:\n\tx: 1\n")
    before = snapshot(batch)
    for command in ("validate", "score"):
        code, _, _ = wz(command, "--rulebook", batch / "kinds.yaml", batch)
        assert code in (1, 2)
    assert snapshot(batch) == before


# ------------------------------------------------------- what untrusted documents can read

SECRET = "SECRET-TOKEN-12345"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (the working directory) and, beside it, a file it must not read."""
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "creds.yaml").write_text(
        f"wzeval: findings/1\ndepartment: {SECRET}\n{SECRET}: 1\n", encoding="utf-8"
    )
    (secret / "rb.yaml").write_text(f"wzeval: rulebook/1\n{SECRET}: 1\n", encoding="utf-8")
    proj = tmp_path / "project"
    proj.mkdir()
    shutil.copy(KINDS, proj / "kinds.yaml")
    monkeypatch.chdir(proj)
    return proj


@pytest.mark.parametrize(
    "ref",
    ["../elsewhere/creds.yaml", "{abs}/elsewhere/creds.yaml", "~/creds.yaml", "/etc/hostname"],
)
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_rule_tests_cannot_read_files_outside_the_project(project: Path, ref: str) -> None:
    """A rule-test document naming findings outside the project is refused; nothing leaks."""
    ref = ref.replace("{abs}", str(project.parent))
    (project / "x.tests.yaml").write_text(
        "wzeval: ruletests/1\nrulebook: kinds.yaml\ncases:\n"
        f"  - name: leak\n    findings: {ref}\n    expect: {{total: 1}}\n",
        encoding="utf-8",
    )
    code, out, err = wz("test", project / "x.tests.yaml")
    assert code != 0
    assert "may not be read" in out + err
    assert SECRET not in out + err


@pytest.mark.parametrize("ref", ["../elsewhere/rb.yaml", "{abs}/elsewhere/rb.yaml"])
def test_rule_tests_cannot_name_a_rulebook_outside_the_project(project: Path, ref: str) -> None:
    """``rulebook:`` in a rule-test document is held to the same folders."""
    ref = ref.replace("{abs}", str(project.parent))
    (project / "x.tests.yaml").write_text(
        f"wzeval: ruletests/1\nrulebook: {ref}\ncases:\n  - name: a\n    findings: {{}}\n"
        "    expect: {total: 1}\n",
        encoding="utf-8",
    )
    code, out, err = wz("test", project / "x.tests.yaml")
    assert code != 0
    assert SECRET not in out + err


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("../elsewhere/rb.yaml", "WZ257"),
        ("{abs}/elsewhere/rb.yaml", "WZ257"),
        ("/etc/passwd", "WZ257"),
        ("https://example.invalid/rb.yaml", "WZ257"),
        ("~/rb.yaml", "WZ257"),
    ],
)
def test_extends_cannot_read_files_outside_the_project(project: Path, ref: str, code: str) -> None:
    """``extends:`` outside the project (or absolute, a URL, ``~``) is WZ257; nothing leaks."""
    ref = ref.replace("{abs}", str(project.parent))
    (project / "child.yaml").write_text(
        f"wzeval: rulebook/1\nextends: {ref}\nid: child\n", encoding="utf-8"
    )
    exit_code, out, err = wz("validate", project / "child.yaml")
    assert exit_code != 0
    assert code in out + err
    assert SECRET not in out + err
