"""A 碳账本 that knows itself: read_account recomputes the content digest from what it reads, says whether the
workbook is as written (``source["verified"]``), locates every difference, and refuses in strict mode."""

from __future__ import annotations

import math
import re
import shutil
import warnings
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

import carbon
from carbon.errors import AccountFormatError, CarbonError
from carbon.io.account_sheets import canonical, canonical_floats
from carbon.io.account_workbook import AccountIntegrityWarning, account_digest, read_account, write_account
from carbon.io.xlsx_preflight import inspect_xlsx
from carbon.schema.outputs import CHART_DATA, COLUMNS, MANIFEST, SHEET_NAMES, SUMMARY
from carbon.validation.problems import column_letter

PROJECTS = SHEET_NAMES["projects"]
INTENSITIES = SHEET_NAMES["intensities"]
SOLID_WASTE = SHEET_NAMES["solid_waste"]


@pytest.fixture(scope="module")
def account():
    return carbon.read_workbook(carbon.sample_workbook_path()).account()


@pytest.fixture(scope="module")
def written(account, tmp_path_factory):
    return account.to_excel(tmp_path_factory.mktemp("integrity") / "碳账本.xlsx")


def _read_quietly(path, **options):
    """read_account, failing on any integrity warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccountIntegrityWarning)
        return read_account(path, **options)


def _edited(written, tmp_path, edit):
    """A copy of the 碳账本 opened, edited and saved by openpyxl."""
    book = openpyxl.load_workbook(written)
    edit(book)
    path = tmp_path / "edited.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def tampered(written, tmp_path_factory):
    """The 碳账本 edited by one of :data:`TAMPERS`, by its name: each copy made once (openpyxl takes seconds)."""
    made = {}

    def get(name):
        if name not in made:
            made[name] = _edited(written, tmp_path_factory.mktemp("tampered"), TAMPERS[name][0])
        return made[name]

    return get


def _total_row(sheet) -> int:
    return next(r for r in range(sheet.max_row, 0, -1) if str(sheet.cell(r, 1).value or "").startswith("合计"))


def _first_total(sheet) -> openpyxl.cell.Cell:
    """The first non-zero number of a sheet's total row."""
    row = _total_row(sheet)
    return next(
        sheet.cell(row, c)
        for c in range(2, sheet.max_column + 1)
        if isinstance(sheet.cell(row, c).value, (int, float)) and sheet.cell(row, c).value
    )


def _total_cell(path) -> str:
    """Where :func:`_first_total` is, found without openpyxl (which takes seconds to open the 碳账本)."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(PROJECTS).to_python(skip_empty_area=False)
    row = max(i for i, r in enumerate(grid) if str(r[0]).startswith("合计"))
    column = next(c for c, v in enumerate(grid[row]) if c and isinstance(v, (int, float)) and v)
    return f"{column_letter(column)}{row + 1}"


def _entry(sheet, key: str) -> openpyxl.cell.Cell:
    """The value cell of a manifest entry."""
    return next(row[1] for row in sheet.iter_rows() if row[0].value == key)


def _halve_total(book):
    cell = _first_total(book[PROJECTS])
    cell.value = cell.value / 2


def _formula_in_total(book):
    _first_total(book[PROJECTS]).value = "=B5*2"


def _change_method(book):
    _entry(book[MANIFEST], "method_scope2").value = "location"


def _delete_sheet(book):
    del book[SOLID_WASTE]


def _alter_columns(book):
    sheet = book[COLUMNS]
    sheet.sheet_state = "visible"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "intensities" and r[2].value == "total_tco2")
    row[5].value += 1  # total_tco2 read from the column beside it


def _change_summary(book):
    cell = _entry(book[MANIFEST], "total_tco2")
    cell.value = cell.value * 0.9


def _change_cover(book):
    sheet = book[SUMMARY]
    cell = next(row[1] for row in sheet.iter_rows() if isinstance(row[1].value, float) and row[1].value > 1000)
    cell.value = cell.value / 2


def _change_table_cell(book):
    sheet = book[INTENSITIES]
    header = [c.value for c in sheet[1]]
    column = next(i for i, h in enumerate(header, start=1) if h and "total" in str(h).lower() and "tCO2" in str(h))
    sheet.cell(3, column).value = sheet.cell(3, column).value * 2


def _add_sheet(book):
    book.create_sheet("我的备注")


def _rename_header(book):
    cell = next(c for c in book[INTENSITIES][1] if c.value and "tCO2" in str(c.value))
    cell.value = str(cell.value).replace("tCO2", "ktCO2")  # the figures stay; what they are read as changes


TAMPERS = {
    "a total halved": (_halve_total, PROJECTS),
    "a formula in a total": (_formula_in_total, PROJECTS),
    "a method changed": (_change_method, MANIFEST),
    "a sheet deleted": (_delete_sheet, SOLID_WASTE),
    "_columns unhidden and altered": (_alter_columns, COLUMNS),
    "a summary figure changed": (_change_summary, MANIFEST),
    "a figure on the cover changed": (_change_cover, SUMMARY),
    "a number in a table changed": (_change_table_cell, INTENSITIES),
    "a sheet added": (_add_sheet, "我的备注"),
    "a header renamed": (_rename_header, INTENSITIES),
}


def test_untouched_verifies_and_its_digest_is_the_one_stored(account, written):
    again = _read_quietly(written)
    assert again.source["verified"] is True and again.source["integrity"] == ()
    stored = again.source["content_digest"]
    assert re.fullmatch("[0-9a-f]{64}", stored)
    assert account_digest(again) == stored == account_digest(account)
    assert carbon.account_digest is account_digest
    assert _read_quietly(written, strict=True).source["verified"] is True


def test_a_chinese_or_english_ledger_with_a_trend_verifies(tmp_path):
    """A 碳账本 in one language holds each bilingual note in that language: its digest is the account's in that
    language; the trend's grid is rendered again from the trend read."""
    account = carbon.read_workbook(carbon.sample_workbook_path()).accounts().account
    assert len(account.tables["trend"])
    for lang in ("zh", "en"):
        path = write_account(account, tmp_path / f"{lang}.xlsx", lang=lang)
        again = _read_quietly(path)
        assert again.source["verified"] is True and again.source["language"] == lang
        assert account_digest(account, lang) == again.source["content_digest"] == account_digest(again)
        assert account_digest(account, lang) != account_digest(account)


def test_tables_in_parquet_beside_verify(account, tmp_path):
    path = write_account(account, tmp_path / "ledger.xlsx", row_limit=1000)
    assert (tmp_path / "ledger.emissions.parquet").is_file()
    assert _read_quietly(path).source["verified"] is True


def test_a_park_without_projects_or_boilers_verifies(tmp_path):
    """No projects and no boilers: the reductions table has no columns, so no row in _columns, and its two sheets
    are written all the same."""
    code = "91350100M000100Y43"
    ledger = carbon.Ledger.from_frames(
        {"name": "小园区", "province": "青海", "reporting_year": 2023, "baseline_year": 2023},
        enterprises=pd.DataFrame(
            [
                {
                    "enterprise_id": code,
                    "name": "甲厂",
                    "sub_park": None,
                    "industry": "化工",
                    "above_designated_size": True,
                }
            ]
        ),
        energy=pd.DataFrame(
            [{"enterprise_id": code, "year": 2023, "carrier": "电力", "quantity": 10.0, "unit": "MWh"}]
        ),
    )
    account = ledger.account()
    assert len(account.tables["reductions"].columns) == 0
    again = _read_quietly(account.to_excel(tmp_path / "small.xlsx"))
    assert again.source["verified"] is True and account_digest(again) == account_digest(account)


def test_the_digest_moves_with_any_figure(account):
    other = carbon.read_workbook(carbon.sample_workbook_path()).account(scope2="location")
    assert account_digest(other) != account_digest(account)


def test_an_untouched_openpyxl_round_trip_still_verifies(written, tmp_path):
    path = _edited(written, tmp_path, lambda book: None)
    assert path.read_bytes() != written.read_bytes()  # openpyxl rewrote every part
    assert _read_quietly(path).source["verified"] is True


@pytest.mark.parametrize("tamper", TAMPERS, ids=list(TAMPERS))
def test_each_tamper_is_found_and_located(tampered, tamper):
    sheet = TAMPERS[tamper][1]
    path = tampered(tamper)
    with pytest.warns(AccountIntegrityWarning, match=re.escape(sheet)) as caught:
        again = read_account(path)
    assert again.source["verified"] is False
    assert any(line.startswith(f"「{sheet}") for line in again.source["integrity"]), again.source["integrity"]
    message = str(caught[0].message)
    assert "不一致" in message and "not as written" in message  # Chinese first, then English
    with pytest.raises(AccountFormatError, match=re.escape(sheet)):
        read_account(path, strict=True)


def test_a_halved_total_is_named_at_its_cell(written, tampered):
    cell = _total_cell(written)
    path = tampered("a total halved")
    with pytest.warns(AccountIntegrityWarning):
        again = read_account(path)
    assert any(line.startswith(f"「{PROJECTS}!{cell}」") for line in again.source["integrity"])


def test_a_formula_with_its_value_is_found(written, tmp_path):
    """A formula whose cached value is the number written: every reader shows the same figure, yet carbon never
    writes a formula, so the 碳账本 is not as written."""
    part = inspect_xlsx(written).sheet(PROJECTS).part
    cell = _total_cell(written)
    path = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data, count = re.subn(rb'(<c r="' + cell.encode() + rb'"[^>]*>)(<v>)', rb"\1<f>B5*2</f>\2", data)
                assert count == 1
            target.writestr(item, data)
    with pytest.warns(AccountIntegrityWarning, match=re.escape(f"{PROJECTS}!{cell}")):
        again = read_account(path)
    assert again.source["verified"] is False
    assert [line for line in again.source["integrity"] if "formula" in line]


def test_a_deleted_table_sheet_reads_as_no_rows(tampered):
    path = tampered("a sheet deleted")
    with pytest.warns(AccountIntegrityWarning, match="deleted"):
        again = read_account(path)
    assert len(again.tables["solid_waste"]) == 0
    deleted = [line for line in again.source["integrity"] if SOLID_WASTE in line]
    assert deleted and all("!" not in line.split("」")[0] for line in deleted)  # the sheet, not each column


def test_a_chart_data_figure_changed_is_located(written, tmp_path):
    def edit(book):
        sheet = book[CHART_DATA]
        cell = next(row[1] for row in sheet.iter_rows() if isinstance(row[1].value, float))
        cell.value += 1

    path = _edited(written, tmp_path, edit)
    with pytest.warns(AccountIntegrityWarning, match=re.escape(CHART_DATA)):
        assert read_account(path).source["verified"] is False


def test_a_workbook_written_before_the_digest_reads_as_unknown(written, tmp_path):
    def edit(book):
        sheet = book[MANIFEST]
        row = _entry(sheet, "content_digest").row
        sheet.delete_rows(row, 2)  # content_digest and content_parts
        book[COLUMNS].delete_cols(7)  # each column's digest

    path = _edited(written, tmp_path, edit)
    with pytest.warns(AccountIntegrityWarning, match="earlier release"):
        again = read_account(path)
    assert again.source["verified"] is None and again.source["content_digest"] == ""
    with pytest.raises(AccountFormatError, match="cannot be checked"):  # strict asks for a digest
        read_account(path, strict=True)


def test_a_formula_is_found_without_the_digest_too(written, tmp_path):
    def edit(book):
        sheet = book[MANIFEST]
        sheet.delete_rows(_entry(sheet, "content_digest").row, 2)
        book[COLUMNS].delete_cols(7)
        book[SUMMARY]["B5"] = "=1+1"

    path = _edited(written, tmp_path, edit)
    with pytest.warns(AccountIntegrityWarning, match="holds formulas"):
        assert read_account(path).source["verified"] is False


def test_a_digest_removed_is_an_alteration(written, tmp_path):
    def edit(book):
        sheet = book[MANIFEST]
        sheet.delete_rows(_entry(sheet, "content_digest").row, 2)

    path = _edited(written, tmp_path, edit)
    with pytest.warns(AccountIntegrityWarning, match="removed"):
        assert read_account(path).source["verified"] is False
    with pytest.raises(AccountFormatError, match=re.escape(MANIFEST)):
        read_account(path, strict=True)


def test_something_that_is_not_a_ledger(tmp_path):
    with pytest.raises(AccountFormatError, match="not a carbon ledger"):
        read_account(carbon.sample_workbook_path())
    text = tmp_path / "notes.xlsx"
    text.write_text("总量,1\n")
    with pytest.raises(AccountFormatError):
        read_account(text)


@pytest.mark.parametrize("path", [5, None, b"ledger.xlsx", "ledger\x00.xlsx"])
def test_what_is_not_a_path(path):
    with pytest.raises(AccountFormatError) as raised:
        read_account(path)
    assert "\x00" not in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_truncated_file(written, tmp_path, keep):
    data = written.read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(AccountFormatError) as raised:
        read_account(path)
    assert isinstance(raised.value, CarbonError)


def test_a_damaged_part(written, tmp_path):
    """Bytes changed inside a compressed sheet: the zip's check fails, and the error says so in carbon's words."""
    part = inspect_xlsx(written).sheet(INTENSITIES).part
    path = tmp_path / "damaged.xlsx"
    shutil.copy(written, path)
    with zipfile.ZipFile(written) as archive:
        info = archive.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 50, start + 80):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(AccountFormatError):
        read_account(path)


GARBAGE = {
    "a position that is no number": ("E", "abc"),
    "a place far outside a sheet": ("F", 10**9),
    "a dtype that is none": ("D", "float99"),
    "a row without its table": ("A", None),
}


@pytest.mark.parametrize("garbage", GARBAGE, ids=list(GARBAGE))
def test_columns_with_garbage(written, tmp_path, garbage):
    column, value = GARBAGE[garbage]

    def edit(book):
        book[COLUMNS][f"{column}5"].value = value

    path = _edited(written, tmp_path, edit)
    with pytest.raises(AccountFormatError, match=COLUMNS) as raised:
        read_account(path)
    assert isinstance(raised.value, CarbonError)


def test_numbers_are_hashed_as_the_workbook_gives_them_back():
    """xlsxwriter writes 16 significant digits: about one double in five does not come back bit for bit, so
    the digest hashes each number rounded as it comes back; -0 is written 0, NaN and infinities blank."""
    x = 0.1 + 0.2  # 0.30000000000000004: 17 digits
    back = float(f"{x:.16g}")
    assert back != x and canonical(x) == canonical(back) == canonical(float(f"{back:.16g}"))
    values = canonical_floats(np.array([-0.0, np.nan, np.inf, -np.inf, x, 1e300, 5e-324]))
    assert not np.signbit(values[0]) and values[0] == 0
    assert all(math.isnan(v) for v in values[1:4])
    assert canonical(None) == canonical("") == canonical(float("nan"))
    assert canonical(True) != canonical(1) and canonical(1) == canonical(1.0)


# -- the digest's canonical form, computed per column, against Python's per-value form ----------------------


def _python_rounding(values: np.ndarray) -> np.ndarray:
    """The canonical numbers as the first scheme wrote them: Python's rounding of each value, one by one."""
    out = np.asarray(values, dtype=float).copy()
    finite = np.isfinite(out)
    out[~finite] = np.nan
    out[finite] = [float(f"{x:.16g}") for x in out[finite].tolist()]
    out[out == 0] = 0.0
    return out


def _python_column_bytes(values: pd.Series) -> bytes:
    """``_column_bytes`` of a text or categorical column as the first scheme wrote it: value by value."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        texts = [canonical(v) for v in values.dtype.categories.tolist()] + ["\x00"]
        return "\x1e".join(texts[k] for k in values.cat.codes.tolist()).encode()
    return "\x1e".join(
        (f"s{v}" if v else "\x00") if type(v) is str else canonical(v) for v in values.to_numpy(dtype=object).tolist()
    ).encode()


def _same_doubles(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype == np.float64 and a.tobytes() == b.tobytes()


def test_numbers_are_rounded_as_python_rounds_each_bit_for_bit(monkeypatch):
    """Whole numbers kept as they are, the rest rounded a chunk at a time by ``%.16g`` and read back by Arrow:
    the same doubles as Python's rounding of each value, on doubles of every kind (chunks of 1,000 here, so
    that values cross chunks)."""
    from carbon.io import account_sheets

    monkeypatch.setattr(account_sheets, "_ROUNDING_CHUNK", 1000)
    rng = np.random.default_rng(2026)
    powers = np.ldexp(1.0, np.arange(-1074, 1024))
    values = np.concatenate(
        [
            rng.integers(0, 2**64, 20_000, dtype=np.uint64).view(np.float64),  # any bit pattern: NaNs, subnormals
            rng.lognormal(3, 4, 5_000) * rng.choice([-1, 1], 5_000),  # quantities and their products
            np.round(rng.lognormal(3, 4, 5_000), 3),  # as typed: few digits, many repeated
            np.floor(rng.lognormal(20, 8, 5_000)),  # whole numbers either side of 1e16
            powers, -powers, np.nextafter(powers, 0), np.nextafter(powers, np.inf),
            [0.0, -0.0, np.inf, -np.inf, 1e16, 1e16 - 2, 1e16 + 2, 2.0**53 + 2, 0.1 + 0.2, 1 / 3, 5e-324],
        ]
    )  # fmt: skip
    assert _same_doubles(canonical_floats(values), _python_rounding(values))
    for _ in range(20):  # shuffled, in pieces of any length (an empty one too)
        piece = rng.permutation(values)[: rng.integers(0, 3000)]
        assert _same_doubles(canonical_floats(piece), _python_rounding(piece))


@pytest.mark.parametrize("dtype", ["str", "object", "category", pd.StringDtype("pyarrow"), pd.StringDtype("python")])
def test_text_columns_are_hashed_as_value_by_value(dtype):
    """A text column held by Arrow is joined by Arrow, a categorical through its categories: the bytes of the
    value-by-value form, blanks (None, NaN, the empty text) as one mark, text that looks like a mark kept."""
    from carbon.io.account_sheets import _column_bytes

    rng = np.random.default_rng(7)
    words = ["甲", "", " ", "s", "\x00", "a\x1eb", "企业/Enterprise", "0", "nan", None, "😀", "x" * 300]
    for n in (0, 1, 2, 5, 1000):
        chosen = [words[i] for i in rng.integers(0, len(words), n)]
        values = pd.Series(chosen, dtype=dtype)
        assert _column_bytes(values) == _python_column_bytes(values), n
    sliced = pd.Series(words * 50, dtype=dtype).iloc[7:411]  # a view into a longer column
    assert _column_bytes(sliced) == _python_column_bytes(sliced)


def test_text_written_as_another_text_is_hashed_as_written():
    """A ``(str, Enum)`` member or a str subclass with its own ``__str__`` is text to pandas, but the 碳账本 writes
    its ``str()`` (``Fuel.COAL``, not ``coal``): it is hashed as written, so an untouched 碳账本 still verifies."""
    import enum

    from carbon.io.account_sheets import _column_bytes

    class Fuel(str, enum.Enum):  # noqa: UP042 - the (str, Enum) form, whose str() is not its value
        COAL = "coal"

    class Label(str):
        def __str__(self) -> str:
            return "LABEL"

    for cells in ([Fuel.COAL], ["甲", Fuel.COAL, None, ""], [Label("x"), "乙"], [np.str_("丙"), None]):
        values = pd.Series(cells, dtype=object)
        assert _column_bytes(values) == _python_column_bytes(values), cells
    assert _column_bytes(pd.Series(["甲", Fuel.COAL], dtype=object)) == "s甲\x1esFuel.COAL".encode()


def test_the_digest_scheme_is_what_every_earlier_ledger_carries():
    """The bytes each kind of column is hashed as, written out from the scheme (``s`` + text, the blank mark
    ``\\x00``, ``b1``/``b0``, numbers as the canonical doubles' bytes, joined by ``\\x1e``), and the SHA-256 of
    each as the value-by-value form of ad84e02 computed it (the scheme every 碳账本 since issue 17 carries): a
    change of the scheme, even one made in both the code and the reference of these tests, fails here."""
    from carbon.io.account_sheets import DIGEST_SCHEME, _column_bytes, _hash

    assert DIGEST_SCHEME == "carbon 碳账本 content digest 1"
    columns = {
        "number": pd.Series([1.0, 0.1 + 0.2, np.nan, -0.0, 1e16 + 2, 12345678.123456789, 2.5e-7]),
        "count": pd.Series([0, 7, -3], dtype="int64"),
        "text": pd.Series(["甲", None, "", "企业/Enterprise", float("nan")], dtype=object),
        "flag": pd.Series([True, False, True]),
        "category": pd.Series(pd.Categorical(["煤", None, "电"], categories=["电", "煤", "气"])),
    }
    assert _column_bytes(columns["text"]) == "s甲\x1e\x00\x1e\x00\x1es企业/Enterprise\x1e\x00".encode()
    assert _column_bytes(columns["flag"]) == b"b1\x1eb0\x1eb1"
    assert _column_bytes(columns["category"]) == "s煤\x1e\x00\x1es电".encode()
    assert _column_bytes(columns["count"]) == np.array([0.0, 7.0, -3.0]).tobytes()
    # each %.16g as written, -0 as 0, a blank as NaN; 1e16 + 2 has 17 digits, so it is written 1e+16
    rounded = [1.0, 0.3, np.nan, 0.0, 1e16, 12345678.12345679, 2.5e-7]
    assert _column_bytes(columns["number"]) == np.array(rounded).tobytes()
    pinned = {  # computed by ad84e02's value-by-value _column_bytes and _hash ("t", the column name, its bytes)
        "number": "89fe1898c97a7b93abfef305073aeba17475fd974f47a67051694e74f50cfa98",
        "count": "abf0d15113729c72cb1a96f27c7a6a1c3c69d0a5120e3621a0623b8c7c08744a",
        "text": "6595f698a8e32056b144c8795d680a6268330dddc6f697ceaf4cfa09ef53cc7d",
        "flag": "e8d244e50dd91d518c419f3f56726d26ff233f154113b062be3fde99a8298cba",
        "category": "f9bc142df31b82df5c228cf3edca7e43abd2e2f4d41b2b6a36db01c4a360fc5c",
    }
    assert {name: _hash("t", name, _column_bytes(values)) for name, values in columns.items()} == pinned


def test_flags_and_mixed_objects_are_hashed_as_value_by_value():
    """Flags as ``b1``/``b0`` made as one array; an object column of text with NaN, pd.NA or None blanks by
    Arrow; one that mixes text with numbers, flags or dates (or holds text UTF-8 cannot) value by value."""
    import datetime as dt

    from carbon.io.account_sheets import _column_bytes

    rng = np.random.default_rng(11)
    for n in (0, 1, 2, 999):
        flags = pd.Series(rng.integers(0, 2, n).astype(bool))
        assert _column_bytes(flags) == _python_column_bytes(flags)
    columns = [
        ["甲", float("nan"), pd.NA, None, "", "乙"],
        ["甲", 1.5, True, dt.date(2024, 1, 5), None, 3],
        ["甲", "\ud800", None],
        [None, float("nan")],
    ]
    for cells in columns:
        values = pd.Series(cells, dtype=object)
        if any(
            isinstance(c, str) and c == "\ud800" for c in cells
        ):  # a lone surrogate: refused as the value-by-value form refuses it
            with pytest.raises(UnicodeEncodeError):
                _column_bytes(values)
        else:
            assert _column_bytes(values) == _python_column_bytes(values), cells
