"""carbon/cli.py and carbon/io/excel.py: every output path is checked before any work, files get the user's
normal permissions (issue 14, part 4)."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

import carbon
import carbon.io.park_template
import carbon.io.park_workbook
from carbon.cli import main
from carbon.io.excel import atomic_write, check_output_path

CJK = re.compile(r"[\u4e00-\u9fff]")


def _no_work(monkeypatch):
    """Make any reading of a workbook or writing of a template fail the test: the path check comes first."""

    def forbidden(*args, **kwargs):
        raise AssertionError("work was done before the output path was checked")

    monkeypatch.setattr(carbon.io.park_workbook, "read_workbook", forbidden)
    monkeypatch.setattr(carbon.io.park_workbook, "validate_workbook", forbidden)
    monkeypatch.setattr(carbon.io.park_template, "write_template", forbidden)


def _park(tmp_path: Path) -> Path:
    park = tmp_path / "park.xlsx"
    park.write_bytes(carbon.sample_workbook_path().read_bytes())
    return park


def _commands(park: Path, out: str) -> dict[str, list[str]]:
    return {
        "ledger": ["ledger", str(park), "-o", out],
        "template": ["template", out],
        "annotate": ["validate", str(park), "--annotate", out],
    }


# (case, how to make the output path in tmp_path, words of the English message)
CASES = {
    "folder": (lambda tmp: str(tmp / "a folder.xlsx"), "is a folder: give a file name"),
    "csv": (lambda tmp: str(tmp / "out.csv"), "must end in .xlsx"),
    "no extension": (lambda tmp: str(tmp / "碳账本2023"), "must end in .xlsx"),
    "missing parent": (lambda tmp: str(tmp / "no such folder" / "out.xlsx"), "does not exist: create it first"),
    "parent is a file": (lambda tmp: str(tmp / "notes.txt" / "out.xlsx"), "is not a folder"),
    "read-only file": (lambda tmp: str(tmp / "read-only.xlsx"), "is read-only; it was not replaced"),
    "empty": (lambda tmp: "", "the output file name is empty"),
}


def _prepare(tmp_path: Path) -> None:
    (tmp_path / "a folder.xlsx").mkdir()
    (tmp_path / "notes.txt").write_text("not a folder")
    readonly = tmp_path / "read-only.xlsx"
    readonly.write_bytes(b"kept")
    readonly.chmod(0o444)


@pytest.mark.parametrize("command", ["ledger", "template", "annotate"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_output_path_is_refused_before_any_work(case, command, tmp_path, monkeypatch, capsys):
    park = _park(tmp_path)
    _prepare(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    make, english = CASES[case]
    _no_work(monkeypatch)
    code = main(_commands(park, make(tmp_path))[command])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert english in err and CJK.search(err) and " / " in err, err
    assert err.startswith("carbon: ") and err.count("\n") == 1 and "Traceback" not in err
    assert "reading" not in err and "computing" not in err and out == ""  # nothing done first
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing written, nothing created
    assert (tmp_path / "read-only.xlsx").read_bytes() == b"kept"


@pytest.mark.parametrize("command", ["ledger", "annotate"])
@pytest.mark.parametrize("spelling", ["same", "dot", "symlink"])
def test_the_output_is_never_the_input(command, spelling, tmp_path, monkeypatch, capsys):
    park = _park(tmp_path)
    before = park.read_bytes()
    out = {"same": str(park), "dot": f"{tmp_path}/./park.xlsx", "symlink": str(tmp_path / "link.xlsx")}[spelling]
    if spelling == "symlink":
        (tmp_path / "link.xlsx").symlink_to(park)
    _no_work(monkeypatch)
    assert main(_commands(park, out)[command]) == 1
    err = capsys.readouterr().err
    assert "就是输入文件" in err and "carbon must not overwrite the input" in err
    assert park.read_bytes() == before


def test_template_keeps_refusing_an_existing_file_without_force(tmp_path, monkeypatch, capsys):
    park = _park(tmp_path)
    _no_work(monkeypatch)
    assert main(["template", str(park)]) == 1
    err = capsys.readouterr().err
    assert "已存在" in err and "add --force" in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in any folder")
def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch, capsys):
    park = _park(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    _no_work(monkeypatch)
    try:
        for argv in _commands(park, str(locked / "out.xlsx")).values():
            assert main(argv) == 1
            err = capsys.readouterr().err
            assert "没有在文件夹" in err and "no permission to write in the folder" in err
    finally:
        locked.chmod(0o755)


def test_a_device_is_not_replaced(tmp_path):
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    link = tmp_path / "null.xlsx"
    link.symlink_to("/dev/null")
    with pytest.raises(carbon.CarbonError, match="is not a regular file"):
        check_output_path(link)


def test_the_default_ledger_name_is_checked_before_the_account_is_computed(tmp_path, monkeypatch, capsys):
    # without --year the name 碳账本_<year>.xlsx is known once the workbook is read: checked before computing
    monkeypatch.chdir(tmp_path)
    (tmp_path / "碳账本_2023.xlsx").mkdir()

    def forbidden(*args, **kwargs):
        raise AssertionError("the account was computed before the output path was checked")

    monkeypatch.setattr(carbon.Ledger, "account", forbidden)
    assert main(["ledger"]) == 1
    err = capsys.readouterr().err
    assert "碳账本_2023.xlsx" in err and "is a folder: give a file name" in err and "computing" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="root only: os.access says yes to root")
def test_as_root_an_unwritable_place_is_still_refused(tmp_path, monkeypatch, capsys):
    # we run as root here: a folder's permissions do not stop root, but a path under a file does
    park = _park(tmp_path)
    _no_work(monkeypatch)
    (tmp_path / "somefile.txt").write_text("x")
    for argv in _commands(park, str(tmp_path / "somefile.txt" / "out.xlsx")).values():
        assert main(argv) == 1
        assert "is not a folder" in capsys.readouterr().err


# -- permissions: as a plain open() would give -------------------------------------------------------------


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_file_gets_0666_less_the_umask(tmp_path, umask_022, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # was 0o600 with mkstemp
    os.umask(0o027)
    path = atomic_write(tmp_path / "x.bin", lambda temporary: Path(temporary).write_bytes(b"x"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_replaced_file_keeps_its_permissions(tmp_path, umask_022):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o664)
    atomic_write(path, lambda temporary: Path(temporary).write_bytes(b"new"))
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o664
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]  # no temporary file left


def test_a_failing_write_leaves_nothing_and_no_traceback(tmp_path, monkeypatch, capsys):
    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(carbon.io.park_template, "write_template", full)
    assert main(["template", str(tmp_path / "t.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "文件读写失败" in err and "could not be read or written" in err and "Traceback" not in err
