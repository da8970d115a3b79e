"""What ``wzeval score FOLDER`` and ``wzeval validate`` do, called from the library.

The command line is argument parsing and printing over :mod:`wzeval.output._batch`,
:mod:`wzeval.reading._folders` and :mod:`wzeval.analysis._validation`; these tests hold
the library to
the command's answers, so a platform builder gets the same ranking and the same
issues as the command, byte for byte.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.cli import run

EXAMPLES = ROOT / "examples" / "findings"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_score_folder_ranks_as_the_command_does(tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "zz-broken.yaml").write_text(
        "wzeval: findings/1\ndepartment: 市教育局\nmonitoring_date: 2023-02-30\n",
        encoding="utf-8",
    )
    rulebook = wzeval.load_rulebook()
    result = wzeval.score_folder(tmp_path, rulebook, partial=True, jobs=1)
    assert len(result.reports) == 6
    assert list(result.failed) == [str(tmp_path / "zz-broken.yaml")]
    assert result.issues  # the broken file's, at least
    for fmt in ("text", "csv", "json"):
        code, out, _err = _cli("score", str(tmp_path), "--partial", "--format", fmt)
        assert code == 1
        text = wzeval.render_ranking(result.reports, fmt, failed=result.failed, rulebook=rulebook)
        assert text == out, fmt


def test_score_files_in_workers_gives_the_same_reports() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    one = [(p, r and r.to_json(), i) for p, r, i in wzeval.score_files(paths, partial=True)]
    two = [(p, r and r.to_json(), i) for p, r, i in wzeval.score_files(paths, partial=True, jobs=2)]
    assert [p for p, _r, _i in one] == paths
    assert all(r is not None for _p, r, _i in one)
    assert two == one


def test_an_empty_folder_is_an_error_of_the_batch(tmp_path: Path) -> None:
    result = wzeval.score_folder(tmp_path)
    assert result.reports == []
    assert [i.code for i in result.issues] == ["WZ912"]
    assert list(result.failed) == [str(tmp_path)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_collect_files_does_not_follow_a_link_out_of_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("wzeval: findings/1\n", encoding="utf-8")
    folder = tmp_path / "work" / "findings"
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLES / "renshe-rescaled.yaml", folder / "a.yaml")
    (folder / "link.yaml").symlink_to(secret)
    monkeypatch.chdir(tmp_path / "work")
    files, issues = wzeval.collect_files(["findings"], empty_is_error=True)
    assert [str(f) for f, _named in files] == [os.path.join("findings", "a.yaml")]
    assert [i.code for i in issues] == ["WZ113"]
    named, none = wzeval.collect_files([secret], empty_is_error=True)  # named: read
    assert named == [(secret, True)] and none == []


def test_validate_paths_pairs_findings_with_the_rulebook_they_name(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "renshe-rescaled.yaml", tmp_path / "a.yaml")
    (tmp_path / "notes.yaml").write_text("title: not ours\n", encoding="utf-8")
    checked = wzeval.validate_paths([tmp_path])
    assert [(Path(r.file).name, r.kind) for r in checked.results] == [("a.yaml", "findings")]
    assert checked.skipped == [str(tmp_path / "notes.yaml")]
    explicit = wzeval.validate_paths([tmp_path / "notes.yaml"])
    assert [i.code for i in explicit.issues] == ["WZ910"]
    bad = wzeval.validate_paths([tmp_path / "a.yaml"], rulebook=tmp_path / "missing.yaml")
    assert [r.kind for r in bad.results] == ["rulebook", "findings"]
    assert "WZ911" in [i.code for i in bad.issues]
