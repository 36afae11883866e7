"""README.md runs: every command and every code block it shows (the README promises this).

Each fenced block of README.md is one test, named by the line of its opening fence (``README.md:22 bash``);
a failure names the README line of the command or statement that failed, with its error.

Blocks
    ```bash / sh / shell / zsh   every line is a command.
    ```console / shell-session   only ``$ `` lines are commands; the other lines are their output.
    ```python / py / python3     the block is Python code.
    ```pycon                     only ``>>> `` and ``... `` lines are code; the other lines are output.
    Any other info string is deliberately not run, for the reason given in ``IGNORED`` below (today the README
    has one: the unlabelled block under "## Errors", which shows an error message, not code). A block in a
    language that is neither run nor listed there fails ``test_every_block_is_run_or_deliberately_ignored``,
    so a new kind of block gets a decision instead of going silently untested.

Shell lines (rules in ``shell_commands`` and ``classify``)
    * ``# comments`` (outside quotes) are stripped; a line ending in ``\\`` continues on the next one.
    * A line is split at ``&&`` and ``;`` (outside quotes) into commands, run in order.
    * Installing or creating an environment (``python3 -m venv``, ``pip install``, ``.venv/bin/pip ...``, ``uv``)
      is not re-run: CI does that (``.ci/run``: fresh venv, non-editable install), and this test runs inside it.
    * ``pytest`` (``.venv/bin/pytest``, ``python -m pytest``) is not re-run: this test is part of that run.
    * ``carbon serve`` is not run: it serves the page until stopped, so the block would never end. Its options
      are parsed by carbon's own argument parser (an option the command does not have fails the block);
      tests/test_serve.py starts the server and talks to it.
    * ``carbon ...``, also spelt ``.venv/bin/carbon ...``: the installed ``carbon``. A plain command runs
      in-process through ``carbon.cli.main(argv)`` (fast: no interpreter start); one with shell syntax
      (``>``, ``|``, ``$``, globs ...) runs through ``bash -c`` with the venv's bin dir
      (``Path(sys.executable).parent``) first on PATH, ``.venv/bin/carbon`` rewritten to ``carbon``, and
      ``set -o pipefail`` so that a carbon that fails inside a pipe is not masked by the command after it.
    * ``cd DIR`` changes the directory the block's later commands run in.
    * Any other command (``ls``, ``head``, ``soffice`` ...) runs as written through ``bash -c`` in the same way:
      the README shows it, so it must work; a tool that is not installed fails the test, which is the point.
    * The lines of a block run in order in one directory, as in a terminal: a file a line writes is there for
      the next line. Every line runs even after one fails, so the failure lists all broken lines of the block.
    * Expected outcome: exit code 0, unless the line's comment documents an unconditional exit code
      (``# exits 1``, ``# exit code 2``; not ``# exit 1 on errors``, which is a condition, not an outcome).
      ``Traceback (most recent call last)`` must never appear on stderr, whatever the exit code.
      An output the command names (``-o X``, ``--annotate X``, ``> X``, ``carbon template X``) must have been
      written (created, or its modification time changed) by a successful run.

Python blocks (rules in ``python_setup``)
    * Each block runs with ``exec`` (compiled with README.md's own line numbers, so tracebacks point into the
      README) in a fresh namespace where ``carbon`` is already imported (the README's blocks use ``carbon.``
      without importing it).
    * A block that uses a name it does not define, which an earlier Python block of the same ``## `` section
      defines, continues that section: all earlier Python blocks of the section run first in the same
      namespace. (No block of today's README needs this; it is the simplest rule that keeps each test
      independent of the others' order.) A name that no block of the section defines is listed in the failure.

Files prepared (``park_dir``, built once and copied for every block; rules in ``readme_files``)
    The README's blocks are scanned (code only: comments do not count) for the files they name. A name that
    appears only where a file is written (``-o``/``--out``/``--annotate``, ``> X``, ``carbon template X``,
    ``.to_excel("X")``, ``.savefig("X")``, ``.to_csv("X")``) is left for the example to create. Every other
    name is an input the park's staff would have, built from the bundled sample park
    (``carbon.sample_workbook_path()``):

    * ``碳账本*.xlsx`` or ``*ledger*.xlsx``: a carbon ledger, written by ``carbon ledger -o NAME``;
    * ``*模板*.xlsx`` or ``*template*.xlsx``: a blank workbook, written by ``carbon template NAME``;
    * a name in a folder called ``*数据集*`` or ``*dataset*`` (``省数据集/parks.parquet``): that folder, a
      many-parks dataset of the sample park, written by ``carbon.dataset.collect`` (``carbon collect -o``), only
      where an earlier block writes that folder with ``carbon collect ... -o`` (else the block fails: the README
      would read a dataset it never showed how to make);
    * any other ``.xlsx`` (``园区.xlsx``, ``园区碳账本.xlsx``): a copy of the sample park workbook;
    * a folder (a word ending in ``/``, a workbook argument of ``carbon ledger``/``validate`` without a suffix,
      or the argument of ``read_tables``/``validate_tables``): the sample's tables as CSV files plus ``park.csv``;
    * anything else read (a ``.csv`` or ``.json`` input ...): not known how to build, so the blocks that name
      it fail saying so, until a rule is added here.

    Today: 园区.xlsx and 园区碳账本.xlsx are copies of the sample; 碳账本2023.xlsx is a ledger of the sample;
    factors.csv and 标注.xlsx are outputs only.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

import carbon
import carbon.cli

README = REPO / "README.md"
BIN = Path(sys.executable).parent
TRACEBACK = "Traceback (most recent call last)"

SHELL = {"bash", "sh", "shell", "zsh"}
CONSOLE = {"console", "shell-session"}
PYTHON = {"python", "py", "python3"}
PYCON = {"pycon"}

#: Blocks deliberately not run, by info string, and why.
IGNORED = {
    "": "an unlabelled block shows text (the error message under '## Errors'), not something to run",
    "text": "text or program output, not something to run",
    "output": "program output, not something to run",
    "csv": "the contents of a file, not something to run",
    "json": "the contents of a file, not something to run",
    "toml": "the contents of a file (pyproject.toml), not something to run",
    "yaml": "the contents of a file, not something to run",
    "ini": "the contents of a file, not something to run",
    "diff": "a change to a file, not something to run",
}

#: Suffixes that make a word a file name.
SUFFIXES = ("xlsx", "xlsm", "xls", "csv", "parquet", "pq", "json", "png", "pdf", "txt")
FILE_RE = re.compile(r"[^\s\"'=<>|;,()`]+\.(?:" + "|".join(SUFFIXES) + r")(?![\w.])")
_NAME = r"([^\s\"'=<>|;,()`]+)"
#: Where a shell command writes a file: the output is group 1.
SHELL_OUTPUT_RES = [
    re.compile(r"(?:^|\s)\d?>>?\s*" + _NAME),
    re.compile(r"(?:^|\s)(?:-o|--out|--annotate)(?:\s+|=)" + _NAME),
    re.compile(r"(?:^|\s)(?:\S*/)?carbon\s+template\s+" + _NAME),
]
#: Python calls whose first argument is a file they write.
PYTHON_WRITERS = {"to_excel", "savefig", "to_csv", "to_parquet", "write_template", "write_text", "write_bytes"}
#: Python calls whose first argument is a folder of tables.
PYTHON_FOLDER_READERS = {"read_tables", "validate_tables"}
#: ``# exits 1``, ``# exit code 2``: an unconditional documented exit code (not ``exit 1 on errors``).
EXIT_RE = re.compile(r"\bexits?\s+(?:with\s+)?(?:code\s+)?(\d+)\b(?!\s*(?:on|when|if|unless|for|with)\b)", re.I)
#: Shell syntax that needs bash rather than ``carbon.cli.main``.
SHELL_SYNTAX = set("<>|&;$`*?~(){}[]!\\")


# --------------------------------------------------------------------------------------------------------------
# Reading the README


@dataclass(frozen=True)
class Block:
    info: str  # the info string as written (``bash``, ``python``, ``""``)
    line: int  # line of the opening fence, counted from 1
    first: int  # line of the first line of content
    lines: tuple[str, ...]
    section: str  # the ``## `` heading the block is under

    @property
    def lang(self) -> str:
        return self.info.split()[0].lower() if self.info.strip() else ""

    @property
    def id(self) -> str:
        return f"README.md:{self.line} {self.info or 'text'}"

    @property
    def runs(self) -> bool:
        return self.lang in SHELL | CONSOLE | PYTHON | PYCON


def parse_blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text (``` or ~~~ fences, indented ones dedented)."""
    blocks: list[Block] = []
    section = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section = line[3:].strip()
        opening = re.match(r"^( {0,3})(`{3,}|~{3,})\s*([^`]*)$", line)
        if not opening:
            i += 1
            continue
        indent, fence, info = len(opening.group(1)), opening.group(2), opening.group(3).strip()
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        body = tuple(raw[indent:] if raw[:indent].strip() == "" else raw.lstrip() for raw in lines[i + 1 : j])
        blocks.append(Block(info, i + 1, i + 2, body, section))
        i = j + 1
    return blocks


def split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of a shell or Python line: ``#`` outside quotes, at the start or after a space."""
    quote = None
    for k, char in enumerate(line):
        if quote:
            if char == "\\" and quote == '"':
                continue
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (k == 0 or line[k - 1].isspace()):
            return line[:k].rstrip(), line[k + 1 :].strip()
    return line.rstrip(), ""


def split_commands(code: str) -> list[str]:
    """A shell line split at ``&&`` and ``;`` outside quotes (``||`` and ``|`` stay inside a command)."""
    parts, quote, start, k = [], None, 0, 0
    while k < len(code):
        char = code[k]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif code.startswith("&&", k) or char == ";":
            parts.append(code[start:k].strip())
            k += 2 if char == "&" else 1
            start = k
            continue
        k += 1
    parts.append(code[start:].strip())
    return [part for part in parts if part]


# --------------------------------------------------------------------------------------------------------------
# Shell lines: what each command is and how it runs


@dataclass
class Command:
    line: int  # README line
    text: str  # the command as written in the README
    kind: str  # "carbon", "cd", "other", "parsed" (its options checked, not run), or a reason it is not run
    expect: int = 0
    outputs: tuple[str, ...] = ()

    @property
    def runs(self) -> bool:
        return self.kind in ("carbon", "cd", "other", "parsed")


_CARBON_WORD = re.compile(r"(?:^|(?<=[\s|;&(]))(?:[^\s|;&(]*/)?carbon(?=\s|$)")


def classify(command: str) -> str:
    """What a command is: ``carbon``, ``cd``, ``other`` (all run), or why it is not run."""
    try:
        words = shlex.split(command)
    except ValueError:
        return "other"  # bash will say what is wrong with it
    while words and re.match(r"^\w+=", words[0]):  # VAR=value before the command
        words = words[1:]
    if not words:
        return "other"
    program = Path(words[0]).name
    rest = words[1:]
    if program in ("pip", "pip3", "uv", "virtualenv", "conda", "pipx") or (
        re.fullmatch(r"python[\d.]*", program) and rest[:2] in (["-m", "venv"], ["-m", "pip"], ["-m", "virtualenv"])
    ):
        return "not re-run: installs or creates an environment (CI does this, and this test runs inside it)"
    if program in ("pytest", "py.test") or (re.fullmatch(r"python[\d.]*", program) and rest[:2] == ["-m", "pytest"]):
        return "not re-run: runs the test suite, which this test is part of"
    if program == "carbon" and rest[:1] == ["serve"] and not {"-h", "--help"} & set(rest):
        return "parsed"  # it serves until stopped: its options are checked, tests/test_serve.py runs it
    if program == "carbon":
        return "carbon"
    if program == "cd":
        return "cd"
    return "other"


def shell_commands(block: Block) -> list[Command]:
    """The commands of a shell or console block, with their README lines."""
    logical: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for offset, raw in enumerate(block.lines):
        number = block.first + offset
        if block.lang in CONSOLE:
            if pending is None and not raw.startswith("$ "):
                continue  # output shown after a command
            raw = raw[2:] if pending is None else raw
        if pending is not None:
            number, raw = pending[0], pending[1] + " " + raw.strip()
            pending = None
        if raw.rstrip().endswith("\\") and not split_comment(raw)[1]:
            pending = (number, raw.rstrip()[:-1].rstrip())
            continue
        logical.append((number, raw))
    if pending is not None:
        logical.append(pending)

    commands: list[Command] = []
    for number, raw in logical:
        code, comment = split_comment(raw)
        if not code.strip():
            continue
        documented = EXIT_RE.search(comment)
        line_commands = [Command(number, part, classify(part)) for part in split_commands(code)]
        for command in line_commands:
            command.outputs = tuple(m.group(1) for r in SHELL_OUTPUT_RES for m in r.finditer(command.text))
        if documented:
            runnable = [c for c in line_commands if c.runs]
            if runnable:
                runnable[-1].expect = int(documented.group(1))
        commands.extend(line_commands)
    return commands


# --------------------------------------------------------------------------------------------------------------
# Python blocks


def python_source(block: Block) -> str:
    """The block's code, padded so that its line numbers are README.md's."""
    if block.lang in PYCON:
        body = [raw[4:] if raw[:4] in (">>> ", "... ") else "" for raw in block.lines]
        body = [raw[3:] if raw in (">>>", "...") else raw for raw in body]
    else:
        body = list(block.lines)
    return "\n" * (block.first - 1) + "\n".join(body) + "\n"


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a piece of code defines, names it reads)."""
    tree = ast.parse(source)
    stored: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stored |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            stored.add(node.name)
    return stored, loaded


def free_names(block: Block) -> set[str]:
    """Names the block reads but neither defines nor gets from builtins or the prepared namespace."""
    stored, loaded = _names(python_source(block))
    return loaded - stored - set(dir(builtins)) - {"carbon", "__name__", "__file__"}


def python_setup(block: Block, blocks: list[Block]) -> list[Block]:
    """Earlier Python blocks of the same section to run first: all of them, when one defines a name this
    block uses without defining it; else none."""
    earlier = [b for b in blocks if b.line < block.line and b.section == block.section and b.lang in PYTHON | PYCON]
    needed = free_names(block)
    if any(_names(python_source(b))[0] & needed for b in earlier):
        return earlier
    return []


# --------------------------------------------------------------------------------------------------------------
# The files the README names


@dataclass
class Files:
    inputs: dict[str, str] = field(default_factory=dict)  # name -> how it is built
    outputs: set[str] = field(default_factory=set)
    by_block: dict[int, set[str]] = field(default_factory=dict)  # block line -> input names it mentions


def _shell_files(code: str) -> tuple[set[str], set[str], set[str]]:
    """(all file names, output file names, folder names) a line of shell code mentions."""
    written = {(m.start(1), m.group(1)) for r in SHELL_OUTPUT_RES for m in r.finditer(code)}
    mentions = {(m.start(), m.group()) for m in FILE_RE.finditer(code)}
    folders = set()
    for command in split_commands(code):
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        folders |= {w for w in words if w.endswith("/") and not w.startswith("-") and w != "/"}
        if words and Path(words[0]).name == "carbon" and len(words) > 2 and words[1] in ("ledger", "validate"):
            if not words[2].startswith("-") and not Path(words[2]).suffix:
                folders.add(words[2])
    inputs = {name for start, name in mentions if (start, name) not in written}
    # a word can be both (``carbon template X`` then ``carbon validate X``): it is an input if read anywhere
    return {name for _, name in mentions} | {name for _, name in written}, {n for _, n in written} - inputs, folders


def _python_files(source: str) -> tuple[set[str], set[str], set[str]]:
    """(all file names, output file names, folder names) a Python block mentions (string constants)."""
    tree = ast.parse(source)
    written: set[int] = set()
    folders: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in PYTHON_WRITERS:
                written.add(id(node.args[0]))
            elif name in PYTHON_FOLDER_READERS and isinstance(node.args[0].value, str):
                folders.add(node.args[0].value)
    everything, outputs = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and FILE_RE.fullmatch(node.value):
            everything.add(node.value)
            if id(node) in written:
                outputs.add(node.value)
    inputs = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in everything and id(node) not in written
    }
    return everything, outputs - inputs, {f for f in folders if not Path(f).suffix}


DATASET_RULE = "dataset of the sample (carbon collect -o)"


def _dataset_root(name: str) -> str | None:
    """The folder of a many-parks dataset a name is in (``省数据集/parks.parquet`` -> ``省数据集``), else None."""
    parts = Path(name.rstrip("/")).parts
    for k, part in enumerate(parts):
        if "数据集" in part or "dataset" in part.lower():
            return str(Path(*parts[: k + 1]))
    return None


def build_rule(name: str) -> str:
    """How an input the README names is built (see the module docstring)."""
    if _dataset_root(name) is not None:
        return DATASET_RULE
    base = Path(name.rstrip("/")).name
    suffix = Path(base).suffix.lower()
    if name.endswith("/") or not suffix:
        return "folder of the sample's tables"
    if suffix == ".xlsx" and (base.startswith("碳账本") or "ledger" in base.lower()):
        return "ledger of the sample (carbon ledger -o)"
    if suffix == ".xlsx" and ("模板" in base or "template" in base.lower()):
        return "blank template (carbon template)"
    if suffix == ".xlsx":
        return "copy of the sample workbook"
    return "unknown"


def readme_files(blocks: list[Block]) -> Files:
    files = Files()
    read: set[str] = set()
    collected: set[str] = set()  # the datasets an earlier block writes (carbon collect -o X)
    orphans: set[str] = set()  # dataset names read before any block writes their dataset
    for block in blocks:
        mentioned: set[str] = set()
        if block.lang in SHELL | CONSOLE:
            for command in shell_commands(block):
                if not command.runs:
                    continue
                words = command.text.split()
                if len(words) > 1 and Path(words[0]).name == "carbon" and words[1] == "collect":
                    collected |= {output.rstrip("/") for output in command.outputs}
                everything, outputs, folders = _shell_files(command.text)
                files.outputs |= outputs
                mentioned |= (everything - outputs) | folders
        elif block.lang in PYTHON | PYCON:
            everything, outputs, folders = _python_files(python_source(block))
            files.outputs |= outputs
            mentioned |= (everything - outputs) | folders
        files.by_block[block.line] = mentioned
        orphans |= {n for n in mentioned if build_rule(n) == DATASET_RULE and _dataset_root(n) not in collected}
        read |= mentioned
    files.outputs -= read
    files.inputs = {name: build_rule(name) for name in sorted(read)}
    for name in orphans:  # a dataset is built only where the README has shown how (a path that drifted fails)
        root = _dataset_root(name)
        files.inputs[name] = f"unknown: no earlier block writes {root} (carbon collect ... -o {root})"
    return files


def _quiet_cli(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = carbon.cli.main(argv)
    assert code == 0, f"carbon {shlex.join(argv)} exited {code}: {err.getvalue()}"


def _export_tables(folder: Path) -> None:
    """The sample park as a folder of tables: one CSV per table and park.csv (item, value)."""
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in ledger.tables.items():
        frame.drop(columns="source_row").to_csv(folder / f"{name}.csv", index=False)
    park = ledger.park
    rows = [
        ["name", park["name"]],
        ["province", park["province"]],
        ["reporting_year", park["reporting_year"]],
        ["baseline_year", park["baseline_year"]],
        ["sub_parks", "、".join(park["sub_parks"])],
    ]
    pd.DataFrame(rows).to_csv(folder / "park.csv", index=False, header=False)


def prepare(directory: Path, inputs: dict[str, str]) -> None:
    """Build each input the README names in ``directory`` (rules: ``build_rule``)."""
    for name, rule in inputs.items():
        target = directory / name
        if rule == DATASET_RULE:  # collect writes the folder whole (it refuses one that holds anything else)
            target = directory / _dataset_root(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if rule == "folder of the sample's tables":
            _export_tables(target)
        elif rule == "ledger of the sample (carbon ledger -o)":
            _quiet_cli(["ledger", "-o", str(target)])
        elif rule == "blank template (carbon template)":
            _quiet_cli(["template", str(target)])
        elif rule == "copy of the sample workbook":
            shutil.copyfile(carbon.sample_workbook_path(), target)
        elif rule == DATASET_RULE and not target.exists():  # names in one dataset share it
            from carbon.dataset import collect

            collect([carbon.sample_workbook_path()], target)


# --------------------------------------------------------------------------------------------------------------
# The tests

BLOCKS = parse_blocks(README.read_text(encoding="utf-8"))
RUN = [block for block in BLOCKS if block.runs]
FILES = readme_files(RUN)


@pytest.fixture(scope="module")
def park_dir(tmp_path_factory) -> Path:
    """A park's working directory with every input the README names, built once."""
    directory = tmp_path_factory.mktemp("park")
    prepare(directory, {n: r for n, r in FILES.inputs.items() if not r.startswith("unknown") and r != DATASET_RULE})
    return directory


@pytest.fixture(scope="module")
def datasets_dir(tmp_path_factory) -> Path:
    """The many-parks datasets the README reads, built once; copied only into the blocks that read them (a block
    that writes one with ``carbon collect -o`` must find its folder free, as a park's staff would)."""
    directory = tmp_path_factory.mktemp("datasets")
    prepare(directory, {n: r for n, r in FILES.inputs.items() if r == DATASET_RULE})
    return directory


@pytest.fixture
def workdir(park_dir, tmp_path) -> Path:
    """A fresh copy of the park's directory for one block."""
    directory = tmp_path / "park"
    shutil.copytree(park_dir, directory)
    return directory


def _copy_datasets(block: Block, workdir: Path, datasets_dir: Path) -> None:
    """The datasets ``block`` reads, copied into its directory (only its own: see ``datasets_dir``)."""
    roots = {_dataset_root(n) for n in FILES.by_block.get(block.line, ()) if FILES.inputs.get(n) == DATASET_RULE}
    for root in roots:
        shutil.copytree(datasets_dir / root, workdir / root)


def test_readme_has_blocks_to_run():
    assert any(b.lang in SHELL | CONSOLE for b in BLOCKS), "no shell block found in README.md"
    assert any(b.lang in PYTHON | PYCON for b in BLOCKS), "no Python block found in README.md"


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.id)
def test_every_block_is_run_or_deliberately_ignored(block):
    assert block.runs or block.lang in IGNORED, (
        f"{block.id}: blocks in '{block.lang}' are neither run nor listed in IGNORED in tests/test_readme.py: "
        "decide how to test them"
    )


def _condense(text: str) -> str:
    """A traceback cut to what locates the fault: its frames inside carbon and the exception; other text kept."""
    if TRACEBACK not in text:
        return text
    head, _, trace = text.partition(TRACEBACK)
    lines = trace.removeprefix(":").splitlines()
    kept, k = [], 0
    while k < len(lines):
        line = lines[k]
        if line.lstrip().startswith('File "'):
            if f'"{README}"' in line or (
                f"{os.sep}carbon{os.sep}" in line and "site-packages" not in line.replace(f"{os.sep}carbon{os.sep}", "")
            ):
                kept.append(line)
                if k + 1 < len(lines) and not lines[k + 1].lstrip().startswith(("File ", "^")):
                    kept.append(lines[k + 1])
            k += 1
            continue
        if line and not line.startswith(" ") and not set(line.strip()) <= set("^~ "):
            kept.append(line)  # the exception line(s), and text after the traceback
        k += 1
    return head + TRACEBACK + " (frames outside carbon and README.md left out):\n" + "\n".join(kept)


def _tail(text: str, lines: int = 15) -> str:
    kept = _condense(text).strip().splitlines()
    if len(kept) > lines:
        kept = ["...", *kept[-lines:]]
    return "\n".join("    " + line for line in kept)


def _unknown_inputs(block: Block, files: Files | None = None) -> list[str]:
    files = FILES if files is None else files
    failures = []
    for name in sorted(files.by_block.get(block.line, ())):
        rule = files.inputs.get(name, "")
        if rule == "unknown":
            failures.append(
                f"README.md:{block.line}: the block reads '{name}', and tests/test_readme.py has no rule to build "
                "it (see build_rule)"
            )
        elif rule.startswith("unknown"):
            failures.append(f"README.md:{block.line}: the block reads '{name}': {rule.split(': ', 1)[1]}")
    return failures


def _stamp(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of a file, None when it does not exist: tells whether a command wrote it."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _run_in_process(argv: list[str], cwd: Path, capsys, monkeypatch) -> tuple[int | str, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code: int | str = carbon.cli.main(argv)
    except SystemExit as exc:  # argparse: --version, --help, usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception:  # noqa: BLE001 - what a user would see as a traceback
        code = "an uncaught exception"
        out, err = capsys.readouterr()
        return code, out, err + "\n" + traceback.format_exc()
    out, err = capsys.readouterr()
    return code, out, err


def _run_bash(command: str, cwd: Path) -> tuple[int | str, str, str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    try:
        result = subprocess.run(
            ["bash", "-c", "set -o pipefail\n" + command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        return "a timeout after 300 s", str(exc.stdout or ""), str(exc.stderr or "")
    return result.returncode, result.stdout, result.stderr


def _parse_only(command: Command, where: str) -> list[str]:
    """A command that is not run (``carbon serve``) parsed by carbon's argument parser: [] or why it fails."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            carbon.cli._build_parser().parse_args(shlex.split(command.text)[1:])
    except SystemExit:
        return [f"{where}: carbon's argument parser refuses it:\n{_tail(err.getvalue())}"]
    return []


def _check_shell(block: Block, workdir: Path, capsys, monkeypatch) -> None:
    commands = shell_commands(block)
    runnable = [c for c in commands if c.runs]
    if not runnable:
        reasons = "; ".join(f"README.md:{c.line} `{c.text}` {c.kind}" for c in commands)
        pytest.skip(f"nothing to run: {reasons}")
    failures = _unknown_inputs(block)
    cwd = workdir
    for command in runnable:
        where = f"README.md:{command.line}: `{command.text}`"
        if command.kind == "cd":
            target = (cwd / shlex.split(command.text)[1]) if len(shlex.split(command.text)) > 1 else workdir
            if not target.is_dir():
                failures.append(f"{where}: no such directory {target.name}")
            else:
                cwd = target
            continue
        if command.kind == "parsed":
            failures += _parse_only(command, where)
            continue
        text = _CARBON_WORD.sub("carbon", command.text) if command.kind == "carbon" else command.text
        before = {name: _stamp(cwd / name) for name in command.outputs}
        if command.kind == "carbon" and not (set(text) & SHELL_SYNTAX):
            code, out, err = _run_in_process(shlex.split(text)[1:], cwd, capsys, monkeypatch)
        else:
            code, out, err = _run_bash(text, cwd)
        if code != command.expect:
            shown = f"stderr:\n{_tail(err)}"
            if len(err.strip().splitlines()) < 3 and out.strip():
                printed = out.strip().splitlines()
                printed = printed if len(printed) <= 8 else [*printed[:6], "...", printed[-1]]
                shown += "\n  stdout:\n" + "\n".join("    " + line for line in printed)
            failures.append(f"{where} gave {code}, expected exit {command.expect}; {shown}")
        elif TRACEBACK in err:
            failures.append(f"{where} printed a traceback:\n{_tail(err)}")
        elif code == 0:
            missing = [name for name in command.outputs if _stamp(cwd / name) in (None, before[name])]
            if missing:
                failures.append(f"{where} exited 0 but did not write {', '.join(missing)}")
    if failures:
        pytest.fail(f"{block.id}: {len(failures)} failing line(s)\n" + "\n".join(failures), pytrace=False)


def _python_failure(block: Block, exc: BaseException, ran: Block) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(README)]
    line = frames[-1].lineno if frames else ran.first
    code = split_comment(README.read_text(encoding="utf-8").splitlines()[line - 1])[0].strip()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).strip()
    message = f"{block.id}: README.md:{line}: `{code}` raised\n{_tail(text, 20)}"
    if ran is not block:
        message = f"{block.id}: the earlier block it continues, {ran.id}, failed\n" + message
    if isinstance(exc, NameError):
        earlier = python_setup(block, RUN)
        defined = set().union(*(_names(python_source(b))[0] for b in earlier)) if earlier else set()
        undefined = sorted(free_names(block) - defined)
        if undefined:
            message += (
                f"\n    names this block uses that neither it nor an earlier block of its section "
                f"('{block.section}') defines: {', '.join(undefined)}"
            )
    return message


def _check_python(block: Block, workdir: Path, capsys, monkeypatch) -> None:
    failures = _unknown_inputs(block)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
    monkeypatch.chdir(workdir)
    namespace: dict[str, object] = {"__name__": "__readme__", "carbon": carbon}
    for ran in [*python_setup(block, RUN), block]:
        failure = None
        try:
            exec(compile(python_source(ran), str(README), "exec"), namespace)  # noqa: S102 - the README's code
        except Exception as exc:  # noqa: BLE001
            failure = _python_failure(block, exc, ran)
        if failure:
            pytest.fail(failure, pytrace=False)
    err = capsys.readouterr().err
    assert TRACEBACK not in err, f"{block.id} printed a traceback:\n{_tail(err)}"


@pytest.mark.parametrize("block", RUN, ids=lambda b: b.id)
def test_readme_block(block, workdir, datasets_dir, capsys, monkeypatch):
    _copy_datasets(block, workdir, datasets_dir)
    if block.lang in SHELL | CONSOLE:
        _check_shell(block, workdir, capsys, monkeypatch)
    else:
        _check_python(block, workdir, capsys, monkeypatch)


# --------------------------------------------------------------------------------------------------------------
# The harness itself, on a made-up README (so that its rules are checked even where today's README does not
# exercise them)

FAKE = """\
# t

## One

```bash
python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/carbon ledger   # install and run
.venv/bin/pytest
carbon validate 园区.xlsx --annotate 标注.xlsx      # exit 1 on errors
carbon validate bad.xlsx                         # exits 1
carbon factors --format csv > factors.csv
carbon validate 表格/ && carbon ledger 表格 -o 碳账本.xlsx
```

```python
ledger = carbon.read_workbook("园区.xlsx")
```

  ```python
  account = ledger.account()
  account.to_excel("out.xlsx")
  ```

~~~
output
~~~

## Two

```console
$ carbon --version
carbon 1.0
```

```python
account.summary
```
"""


def test_harness_parses_blocks_sections_and_lines():
    blocks = parse_blocks(FAKE)
    assert [(b.line, b.lang, b.section) for b in blocks] == [
        (5, "bash", "One"),
        (14, "python", "One"),
        (18, "python", "One"),
        (23, "", "One"),
        (29, "console", "Two"),
        (34, "python", "Two"),
    ]
    assert blocks[2].lines == ("account = ledger.account()", 'account.to_excel("out.xlsx")')
    assert blocks[0].id == "README.md:5 bash" and blocks[3].id == "README.md:23 text" and not blocks[3].runs


def test_harness_classifies_shell_lines():
    blocks = parse_blocks(FAKE)
    commands = shell_commands(blocks[0])
    assert [(c.line, c.text, c.kind.split(":")[0], c.expect) for c in commands] == [
        (6, "python3 -m venv .venv", "not re-run", 0),
        (6, ".venv/bin/pip install .", "not re-run", 0),
        (6, ".venv/bin/carbon ledger", "carbon", 0),
        (7, ".venv/bin/pytest", "not re-run", 0),
        (8, "carbon validate 园区.xlsx --annotate 标注.xlsx", "carbon", 0),
        (9, "carbon validate bad.xlsx", "carbon", 1),
        (10, "carbon factors --format csv > factors.csv", "carbon", 0),
        (11, "carbon validate 表格/", "carbon", 0),
        (11, "carbon ledger 表格 -o 碳账本.xlsx", "carbon", 0),
    ]
    assert commands[4].outputs == ("标注.xlsx",) and commands[6].outputs == ("factors.csv",)
    assert _CARBON_WORD.sub("carbon", ".venv/bin/carbon ledger | head") == "carbon ledger | head"
    assert [c.text for c in shell_commands(parse_blocks(FAKE)[4])] == ["carbon --version"]
    assert split_comment("carbon x 'a # b'  # c") == ("carbon x 'a # b'", "c")
    # a server runs until it is stopped: run in-process it would hold the suite for ever (CI's 5400 s)
    assert classify("carbon serve") == classify(".venv/bin/carbon serve --port 0") == "parsed"
    assert classify("carbon serve --help") == "carbon" and classify("carbon report -o r.html") == "carbon"
    assert _parse_only(Command(1, "carbon serve --port 0 --host 0.0.0.0", "parsed"), "here") == []
    refused = _parse_only(Command(1, "carbon serve --no-such-option", "parsed"), "README.md:1")
    assert len(refused) == 1 and "--no-such-option" in refused[0]


def test_harness_finds_the_files_to_prepare():
    files = readme_files([b for b in parse_blocks(FAKE) if b.runs])
    assert files.inputs == {
        "bad.xlsx": "copy of the sample workbook",
        "园区.xlsx": "copy of the sample workbook",
        "表格": "folder of the sample's tables",
        "表格/": "folder of the sample's tables",
    }
    assert files.outputs == {"标注.xlsx", "factors.csv", "碳账本.xlsx", "out.xlsx"}
    assert build_rule("碳账本2023.xlsx").startswith("ledger") and build_rule("园区模板.xlsx").startswith("blank")
    assert build_rule("problems.json") == "unknown"
    assert build_rule("省数据集/parks.parquet") == build_rule("省数据集/energy/") == DATASET_RULE
    assert _dataset_root("out/my_dataset/parks.parquet") == "out/my_dataset"
    readme = parse_blocks(
        "## A\n\n```python\nimport pandas as pd\npd.read_parquet('省数据集/parks.parquet')\n```\n\n"
        "```bash\ncarbon collect 园区.xlsx -o 省数据集\n```\n\n"
        "```python\nimport pandas as pd\npd.read_parquet('省数据集/parks.parquet')\n```\n"
    )
    early, _, late = readme
    files = readme_files(readme)
    assert files.inputs["省数据集/parks.parquet"].startswith("unknown: no earlier block writes 省数据集")
    assert _unknown_inputs(early, files) == [
        f"README.md:{early.line}: the block reads '省数据集/parks.parquet': no earlier block writes 省数据集 "
        "(carbon collect ... -o 省数据集)"
    ]
    assert readme_files(readme[1:]).inputs["省数据集/parks.parquet"] == DATASET_RULE and late.line > early.line


def test_harness_continues_a_section_only_where_a_block_needs_it():
    blocks = [b for b in parse_blocks(FAKE) if b.runs]
    first, second, other = (b for b in blocks if b.lang == "python")
    assert python_setup(first, blocks) == []
    assert python_setup(second, blocks) == [first]
    assert python_setup(other, blocks) == []  # 'account' is defined only in another section
    assert free_names(other) == {"account"}


def test_harness_prepares_a_folder_of_tables(tmp_path):
    prepare(tmp_path, {"表格": "folder of the sample's tables", "t.xlsx": "blank template (carbon template)"})
    ledger = carbon.read_tables(tmp_path / "表格")
    assert ledger.report.ok and (tmp_path / "t.xlsx").stat().st_size > 0
