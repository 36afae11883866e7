"""carbon/cli.py: the command line (a thin wrapper over the API)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pandas as pd
import pytest

import carbon
from carbon.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_acceptance_qinghai_2023(capsys):
    code, out, err = run(capsys, "factors", "--region", "青海", "--year", "2023")
    assert code == 0
    assert "0.1796" in out and "tCO2/MWh" in out and "公告2025年第47号" in out
    assert "elec.2023.Qinghai" in out
    assert "1 factor(s)" in err


def test_filters_combine(capsys):
    code, out, _ = run(capsys, "factors", "--kind", "fuel", "--set", "ipcc2006", "--carrier", "天然气")
    assert code == 0
    assert "fuel.ipcc2006.natural_gas.ncv" in out
    assert "gbt32151" not in out


def test_csv_output_carries_full_provenance(capsys):
    code, out, _ = run(capsys, "factors", "--format", "csv", "--kind", "standard_coal")
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert {"id", "value", "unit", "source", "confidence", "note", "document", "number"} <= set(table.columns)
    assert table.set_index("id").loc["gbt2589.raw_coal", "value"] == 0.7143


def test_notes_column(capsys):
    _, out, _ = run(capsys, "factors", "--region", "national", "--year", "2023", "--notes")
    assert "不包括市场化交易的非化石能源电量" in out


def test_no_match_points_to_the_latest_earlier_year(capsys):
    code, out, err = run(capsys, "factors", "--region", "青海", "--year", "2025")
    assert code == 0
    assert out == ""
    assert "latest earlier data year: 2023" in err


def test_user_errors_are_one_line_with_exit_code_1(capsys):
    code, out, err = run(capsys, "factors", "--region", "亚特兰蒂斯")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "unknown region '亚特兰蒂斯'" in err
    assert "Traceback" not in err


def test_unknown_fuel_set(capsys):
    code, _, err = run(capsys, "factors", "--set", "Z")
    assert code == 1
    assert "unknown factor set 'Z'" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["factors", "--kind", "nonsense"])
    assert info.value.code == 2


def test_help_explains_itself_with_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["factors", "--help"])
    out = capsys.readouterr().out
    assert "carbon factors --region 青海 --year 2023" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "exit codes" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 0
    assert "factors" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert carbon.__version__ in capsys.readouterr().out


def test_console_script_is_installed():
    scripts = {e.name: e.value for e in entry_points(group="console_scripts")}
    assert scripts.get("carbon") == "carbon.cli:main"


def test_python_dash_m_carbon_runs_in_a_fresh_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "carbon", "factors", "--region", "Qinghai", "--year", "2023"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "0.1796" in result.stdout


def test_template_command(capsys, tmp_path):
    code, out, _ = run(capsys, "template", str(tmp_path / "t.xlsx"))
    assert code == 0 and "template written" in out
    assert (tmp_path / "t.xlsx").is_file()


def test_template_never_replaces_a_workbook_without_force(capsys, tmp_path):
    filled = tmp_path / "园区.xlsx"
    filled.write_bytes(carbon.sample_workbook_path().read_bytes())
    code, _, err = run(capsys, "template", str(filled))
    assert code == 1 and "已存在" in err and "--force" in err and "Traceback" not in err
    assert filled.read_bytes() == carbon.sample_workbook_path().read_bytes()  # nothing lost
    code, out, _ = run(capsys, "template", str(filled), "--force")
    assert code == 0 and "template written" in out
    assert filled.read_bytes() != carbon.sample_workbook_path().read_bytes()


def test_acceptance_validate_sample_exits_0(capsys):
    code, out, _ = run(capsys, "validate", str(carbon.sample_workbook_path()))
    assert code == 0
    assert "0 error(s)" in out


def test_validate_broken_exits_1_with_located_messages_and_json(capsys, tmp_path):
    import json

    from breakage import break_sample

    broken = tmp_path / "broken.xlsx"
    expected = break_sample(carbon.sample_workbook_path(), broken)
    code, out, err = run(capsys, "validate", str(broken), "--annotate", str(tmp_path / "marked.xlsx"))
    assert code == 1
    assert "Traceback" not in out + err
    for sheet, cell in expected:
        assert f"{sheet}!{cell}" in out
    assert f"{len(expected)} cell(s) marked" in err
    code, out, _ = run(capsys, "validate", str(broken), "--format", "json")
    problems = json.loads(out)
    assert code == 1
    assert {"severity", "sheet", "cell", "value", "message_zh", "message_en"} <= set(problems[0])
    assert {(p["sheet"], p["cell"]) for p in problems if p["severity"] == "error"} == set(expected)


def test_validate_a_file_that_is_not_a_workbook(capsys, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("a,b\n1,2\n")
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "[error]" in out and "not an .xlsx workbook" in out and "Traceback" not in out + err


def test_validate_without_a_workbook_checks_the_bundled_sample(capsys):
    # the README's main job
    code, out, err = run(capsys, "validate")
    assert code == 0
    assert "bundled sample park" in err
    assert "0 error(s)" in out


def test_ledger_command_on_the_sample(capsys, tmp_path, monkeypatch):
    # the README's main job
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "ledger")
    assert code == 0
    assert "ledger written: 碳账本_2023.xlsx" in out
    assert "bundled sample park" in err and "[" in err  # stage progress with times
    assert "[未达标 gap] 单位能耗碳排放 carbon per energy" in out  # the indicators in the staff's words
    assert (tmp_path / "碳账本_2023.xlsx").is_file()
    again = carbon.read_account(tmp_path / "碳账本_2023.xlsx")
    assert again.summary["boiler_retrofits"] == 36


def test_ledger_command_with_options_and_errors(capsys, tmp_path):
    out_path = tmp_path / "l.xlsx"
    code, out, _ = run(
        capsys,
        "ledger",
        str(carbon.sample_workbook_path()),
        "--year",
        "2022",
        "--scope2",
        "location",
        "-o",
        str(out_path),
    )
    assert code == 0 and out_path.is_file()
    assert carbon.read_account(out_path).methods["scope2"] == "location"
    code, _, err = run(capsys, "ledger", str(carbon.sample_workbook_path()), "--year", "2019", "-o", str(out_path))
    assert code == 1 and "no energy data for 2019" in err and "Traceback" not in err


def test_the_ledger_never_overwrites_its_input(capsys, tmp_path):
    source = tmp_path / "park.xlsx"
    source.write_bytes(Path(carbon.sample_workbook_path()).read_bytes())
    before = source.read_bytes()
    code, out, err = run(capsys, "ledger", str(source), "-o", str(source))
    assert code == 1 and "must not overwrite the input" in err
    assert source.read_bytes() == before


# -- every documented option of `carbon ledger` on the sample park: a ledger, or a located bilingual error ----

# (options, expected exit code): every method option succeeds on the sample, except the IPCC set with its gas
# in 万Nm3, which stops with a located error (IPCC's NCV is per mass; carbon assumes no gas density)
LEDGER_OPTIONS = [
    ([], 0),
    (["--factor-set", "ipcc2006"], 1),
    (["--factor-set", "cn_set_b"], 0),
    (["--non-co2"], 0),
    (["--non-co2", "--gwp", "AR5"], 0),
    (["--electricity-tce", "equal-value"], 0),
    (["--electricity-tce", "equivalent", "--clean-energy", "natural_gas+non_fossil"], 0),
    (["--scope2", "location", "--factor-set", "ipcc2006", "--non-co2"], 1),
    (["--scope2", "location", "--factor-set", "cn_set_b", "--non-co2"], 0),
    (["--scope2", "market", "--clean-energy", "non_fossil"], 0),
    (["--year", "2022", "--electricity-tce", "equal-value"], 0),
]


@pytest.mark.parametrize(
    ("options", "code"), LEDGER_OPTIONS, ids=lambda o: " ".join(o) if isinstance(o, list) else str(o)
)
def test_every_ledger_option_gives_a_ledger_or_a_located_error(options, code, tmp_path):
    out = tmp_path / "ledger.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "carbon", "ledger", *options, "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == code, result.stderr[-2000:]
    if code == 0:
        assert out.stat().st_size > 0
        methods = carbon.read_account(out).methods
        chosen = options[options.index("--factor-set") + 1] if "--factor-set" in options else "gbt32151"
        assert methods.factor_set == chosen
        assert methods.non_co2 == ("--non-co2" in options)
    else:
        assert not out.exists()
        # located (sheet and row) and bilingual
        assert re.search(r"能源消费 energy!row \d+", result.stderr), result.stderr
        assert " / " in result.stderr


def test_ipcc2006_with_gas_in_volume_says_which_unit_it_needs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "carbon", "ledger", "--factor-set", "ipcc2006", "-o", str(tmp_path / "x.xlsx")],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the checkout, whose source carbon/ would shadow the installed one
    )
    assert result.returncode == 1
    assert "NCV fuel.ipcc2006.natural_gas.ncv of set ipcc2006 is in TJ/Gg" in result.stderr
    assert "choose a factor set whose NCV takes this unit: ['cn_set_b', 'gbt32151']" in result.stderr
    assert re.search(r"and \d+ more row\(s\) with the same carrier and unit", result.stderr)


def test_non_co2_and_equal_value_succeed_on_the_sample(tmp_path):
    for options in (["--non-co2"], ["--electricity-tce", "equal-value"]):
        result = subprocess.run(
            [sys.executable, "-m", "carbon", "ledger", *options, "-o", str(tmp_path / "x.xlsx")],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m carbon factors --format csv | head -2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [["ledger", "-o", "{dir}"], ["template", "{dir}"], ["validate", "--annotate", "{dir}"]],
    ids=["ledger", "template", "annotate"],
)
def test_an_output_path_that_is_a_folder_is_a_clear_error(command, tmp_path, capsys):
    argv = [part.replace("{dir}", str(tmp_path)) for part in command]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "是文件夹" in err and "is a folder: give a file name" in err
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


# -- the help speaks both languages (issue 14, part 5) ------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}[ -][a-z]{2,}")


def _parsers():
    import argparse

    from carbon.cli import _build_parser

    parser = _build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return parser, commands


@pytest.mark.parametrize("command", ["", "factors", "template", "validate", "ledger"])
def test_every_help_is_in_chinese_and_english(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"] if command else ["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    # argparse's own words too
    assert out.startswith("用法 / usage: carbon")
    assert "选项 / options:" in out and "显示本帮助并退出 / show this help and exit" in out
    assert "示例 / example" in out
    assert not re.search(r"^(usage|options|positional arguments):", out, re.M)
    assert "show this help message and exit" not in out
    parser, commands = _parsers()
    parser = commands.choices[command] if command else parser
    texts = [parser.description, parser.epilog, *(a.help for a in parser._actions if a.help)]
    if not command:
        texts += [a.help for a in commands._choices_actions]
    for text in texts:  # every description, epilog and argument help: Chinese first, English beside or below
        chinese, _, english = text.partition(" / " if " / " in text else "\n")
        assert CJK.search(chinese) and ENGLISH.search(english), text
    for line in out.splitlines():  # wrapped by display width: a Chinese character takes two columns
        from carbon.io.excel import display_width

        assert display_width(line) <= 120 or "--kind {" in line, line


def test_usage_errors_are_bilingual(capsys):
    with pytest.raises(SystemExit) as info:
        main(["ledger", "--scope2", "nowhere"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "用法 / usage: carbon ledger" in err and "carbon ledger: 用法错误 / usage error: argument --scope2" in err


# -- progress on stderr (issue 14, part 5) ------------------------------------------------------------------


def test_read_workbook_reports_each_sheet_then_the_checks():
    from carbon.io.park_workbook import CHECKING

    calls = []
    ledger = carbon.read_workbook(carbon.sample_workbook_path(), progress=lambda *call: calls.append(call))
    assert [done for _, done, _ in calls] == list(range(len(calls)))
    assert {total for _, _, total in calls} == {len(calls)}
    assert calls[-1][0] == CHECKING and ("能源消费 energy", 3, len(calls)) in calls
    assert len(ledger.energy) == len(carbon.read_workbook(carbon.sample_workbook_path()).energy)  # same reading
    again = []
    report = carbon.validate_workbook(carbon.sample_workbook_path(), progress=lambda *call: again.append(call))
    assert report.ok and again == calls


def test_progress_bars_when_forced(tmp_path, capsys):
    out = tmp_path / "l.xlsx"
    code, stdout, err = run(capsys, "ledger", "-o", str(out), "--progress")
    assert code == 0 and out.is_file()
    for step in ("读取并校验工作簿 / reading and checking", "核算 / computing the account", "写入碳账本 / writing"):
        assert step in err
    assert "能源消费 energy" in err and "校验 checking" in err  # the reader's callback moves the bar
    assert re.search(r"写入碳账本 / writing \S+ 100%\|█+\| (\d+)/\1", err)  # so does the writer's
    assert "[  0.0 s]" not in err  # bars, not the log lines
    # stdout stays clean for whoever parses it
    assert "\r" not in stdout and "%|" not in stdout and "ledger written" in stdout

    code, stdout, err = run(capsys, "validate", "--format", "json", "--progress")
    assert code == 0 and isinstance(__import__("json").loads(stdout), list)
    assert "校验 checking" in err and "100%|" in err


def test_progress_lines_without_a_terminal_and_none_when_asked(tmp_path, capsys, monkeypatch):
    from carbon.cli import _Progress

    assert _Progress().mode == "lines"  # captured stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _Progress().mode == "bars"
    assert _Progress(False).mode == "off" and _Progress(True).mode == "bars"
    monkeypatch.undo()
    code, _, err = run(capsys, "validate", "--no-progress")
    assert code == 0 and "reading" not in err and "%|" not in err
    code, _, err = run(capsys, "validate")
    assert code == 0 and "] 读取并校验工作簿 / reading and checking" in err


def test_a_reader_closing_the_pipe_early_costs_neither_the_annotated_copy_nor_the_verdict(tmp_path):
    """`carbon validate broken.xlsx --annotate out.xlsx | head -1`: the copy is written and the exit code says 1."""
    import shutil as _shutil

    import openpyxl

    book = openpyxl.load_workbook(carbon.sample_workbook_path())
    energy = book["能源消费 energy"]
    for row in range(2, energy.max_row + 1):  # some 1,800 errors: more text than a pipe holds
        energy.cell(row, 5).value = "十二"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    out = tmp_path / "标注.xlsx"
    script = _shutil.which("carbon") or str(Path(sys.executable).with_name("carbon"))
    process = subprocess.Popen(
        [script, "validate", str(broken), "--annotate", str(out), "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()
    process.stdout.close()  # as head -1 does
    _, err = process.communicate(timeout=300)
    assert process.returncode == 1, err.decode()
    assert out.is_file() and b"Traceback" not in err
