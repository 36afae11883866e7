"""The reconciliation taken per column gives what it gave row by row. Its claims (``_claimed``): the same
enterprises, carriers, sums (to the last bit: the same additions in the same order) and claim lists, on the sample
park's 46 projects and 36 boilers redrawn at random (dates around the year, carriers and units the library lacks,
blank quantities). The claimants' energy (``_tce_by_carrier``), summed on the labels' codes and valued per factor
group: the same rows and tce, on synthetic parks of two years and random claimants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carbon
from carbon.account import reconcile, run
from carbon.account.resolve import Resolver
from carbon.errors import CarbonError
from carbon.reductions import share_of_year

YEAR = 2023


def old_step(date, year: int) -> float:
    """The step as it was: one claim at a time."""
    stamp = pd.Series([pd.Timestamp(date)])
    return float(share_of_year(stamp, year)[0] - share_of_year(stamp, year - 1)[0])


def old_claimed(reductions: pd.DataFrame, resolver, year: int) -> pd.DataFrame:
    """``_claimed`` as it was before it was taken per column (kept as the reference)."""
    rows = []
    if reductions.empty:
        return pd.DataFrame(columns=["enterprise_id", "carrier", "claimed_change_tce", "claims"])
    projects = reductions[reductions["kind"] == "project"]
    needed = ["saving_quantity", "saving_unit", "saving_carrier", "completion_date"]
    projects = projects.dropna(subset=needed) if set(needed) <= set(projects.columns) else projects.iloc[:0]
    for row in projects.itertuples(index=False):
        step = old_step(row.completion_date, year)
        if not step:
            continue
        try:
            tce = resolver.tce("", row.saving_carrier, row.saving_unit, "equivalent").value * row.saving_quantity
        except CarbonError:
            continue
        rows.append((row.enterprise_id, row.saving_carrier, -tce * step, str(row.item_id)))
    boilers = reductions[reductions["kind"] == "boiler"]
    boilers = boilers.dropna(subset=["retrofit_date"]) if "retrofit_date" in boilers else boilers.iloc[:0]
    for row in boilers.itertuples(index=False):
        step = old_step(row.retrofit_date, year)
        if not step or pd.isna(row.fuel_before_gj):
            continue
        try:
            before = resolver.tce("", row.fuel_before, "GJ", "equivalent").value * row.fuel_before_gj
            after_carrier = reconcile._AFTER[row.fuel_after]
            after = resolver.tce("", after_carrier, "GJ", "equivalent").value * row.energy_after_gj
        except CarbonError:
            continue
        rows.append((row.enterprise_id, row.fuel_before, -before * step, str(row.item_id)))
        rows.append((row.enterprise_id, after_carrier, after * step, str(row.item_id)))
    frame = pd.DataFrame(rows, columns=["enterprise_id", "carrier", "claimed_change_tce", "claims"])
    if frame.empty:
        return frame
    return frame.groupby(["enterprise_id", "carrier"], as_index=False).agg(
        claimed_change_tce=("claimed_change_tce", "sum"), claims=("claims", lambda ids: ", ".join(sorted(set(ids))))
    )


def old_tce_by_carrier(ledger, years, firms, resolver):
    """``_tce_by_carrier`` as it was: the rows' labels as text, a factor looked up per (enterprise, carrier, unit)."""
    energy = ledger._tables["energy"]
    firm_codes = energy["enterprise_id"].array
    wanted = np.isin(np.asarray(firm_codes.categories, dtype=object), list(firms))[np.asarray(firm_codes.codes)]
    rows = energy[wanted & energy["year"].isin(years).to_numpy(dtype=bool, na_value=False)]
    if rows.empty:
        return pd.DataFrame(columns=["enterprise_id", "year", "carrier", "tce"])
    keys = [
        rows["enterprise_id"].astype(str),
        rows["year"].astype(int),
        rows["carrier"].astype(str),
        rows["unit"].astype(str),
    ]
    sums = rows["quantity"].groupby(keys).sum().reset_index()
    sums.columns = ["enterprise_id", "year", "carrier", "unit", "quantity"]
    per_unit = {}
    for enterprise, carrier, unit in (
        sums[["enterprise_id", "carrier", "unit"]].drop_duplicates().itertuples(index=False)
    ):
        key = resolver.group_key(enterprise, carrier)
        try:
            per_unit[(enterprise, carrier, unit)] = resolver.tce(key, carrier, unit, "equivalent").value
        except CarbonError:
            per_unit[(enterprise, carrier, unit)] = np.nan
    sums["tce"] = sums["quantity"] * [
        per_unit[k] for k in zip(sums["enterprise_id"], sums["carrier"], sums["unit"], strict=True)
    ]
    return sums.groupby(["enterprise_id", "year", "carrier"], as_index=False)["tce"].sum()


@pytest.fixture(scope="module")
def claims():
    """The sample park's reductions of its reporting year and the resolver of that year."""
    ledger = carbon.read_workbook(carbon.sample_workbook_path())
    methods, factors = run._resolve_methods(None, {})
    counted = run._boundary.of_year(ledger, YEAR).ledger
    current = run._year(counted, YEAR, methods, factors)
    reductions = run._programmes(counted, YEAR, current, [])["reductions"]
    assert set(reductions["kind"]) == {"project", "boiler"}
    return reductions, current.resolver


def _same(reductions, resolver) -> None:
    new = reconcile._claimed(reductions, resolver, YEAR)
    old = old_claimed(reductions, resolver, YEAR)
    assert list(new.columns) == list(old.columns)
    pd.testing.assert_frame_equal(
        new.reset_index(drop=True), old.reset_index(drop=True), check_exact=True, check_dtype=False
    )


def test_the_sample_parks_claims_are_what_they_were(claims):
    reductions, resolver = claims
    _same(reductions, resolver)
    assert len(reconcile._claimed(reductions, resolver, YEAR))  # the sample's claims explain something


DATES = st.one_of(
    st.none(),
    st.dates(min_value=pd.Timestamp("2019-01-01").date(), max_value=pd.Timestamp("2025-12-31").date()),
    st.sampled_from([pd.Timestamp("2022-01-01").date(), pd.Timestamp("2023-01-01").date()]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_redrawn_claims_are_what_they_were(claims, data):
    reductions, resolver = claims
    frame = reductions.copy()
    rows = data.draw(st.lists(st.integers(0, len(frame) - 1), min_size=0, max_size=30))
    frame = frame.iloc[rows].reset_index(drop=True)
    n = len(frame)
    dates = pd.to_datetime(pd.Series([data.draw(DATES) for _ in range(n)], dtype=object))
    projects = (frame["kind"] == "project").to_numpy()
    frame["completion_date"] = frame["completion_date"].where(~projects, dates)
    frame["retrofit_date"] = frame["retrofit_date"].where(projects, dates)
    carriers = ["electricity", "natural_gas", "steam", "unknown_carrier", None]
    units = ["万kWh", "MWh", "tce", "GJ", "万Nm3", "no_such_unit"]
    frame["saving_carrier"] = [
        data.draw(st.sampled_from(carriers)) if p else c for p, c in zip(projects, frame["saving_carrier"], strict=True)
    ]
    frame["saving_unit"] = [
        data.draw(st.sampled_from(units)) if p else u for p, u in zip(projects, frame["saving_unit"], strict=True)
    ]
    blank = np.array([data.draw(st.sampled_from([False, False, True])) for _ in range(n)], dtype=bool)
    frame["saving_quantity"] = frame["saving_quantity"].where(~blank)
    frame["fuel_before_gj"] = frame["fuel_before_gj"].where(~blank)
    after_blank = np.array([data.draw(st.booleans()) for _ in range(n)], dtype=bool)
    frame["energy_after_gj"] = frame["energy_after_gj"].where(~after_blank)
    no_id = np.array([data.draw(st.sampled_from([False, False, False, True])) for _ in range(n)], dtype=bool)
    frame["item_id"] = frame["item_id"].astype(object).where(~no_id, None)  # (a ledger built in Python)
    fuels = ["bituminous_coal", "natural_gas", "heavy_fuel_oil", "unknown_fuel", np.nan]
    frame["fuel_before"] = [
        c if p else data.draw(st.sampled_from(fuels)) for p, c in zip(projects, frame["fuel_before"], strict=True)
    ]
    _same(frame, resolver)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_claimants_energy_is_what_it_was(seed):
    """Two years of a synthetic park (every enterprise 72 rows a year), a random third of its enterprises claiming,
    and one of them with its own NCV of bituminous coal (its own factor group, whose tce differs)."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    from synthetic import make_ledger

    ledger = make_ledger(300, seed=seed, years=(2022, YEAR))
    ids = ledger.enterprises["enterprise_id"].tolist()
    rng = np.random.default_rng(seed)
    firms = {ids[i] for i in rng.choice(len(ids), size=100, replace=False)}
    custom = pd.DataFrame(
        {
            "enterprise_id": [sorted(firms)[0]],
            "parameter": ["ncv"],
            "carrier": ["bituminous_coal"],
            "year": pd.array([YEAR], dtype="Int64"),
            "value": [22.0],
            "unit": ["GJ/t"],
            "evidence": ["测试"],
            "source_row": pd.array([2], dtype="Int64"),
        }
    )
    methods, factors = run._resolve_methods(None, {})
    resolver = Resolver(factors, custom, YEAR, ledger.park["province"], methods.electricity_tce, "自定义因子")
    new = reconcile._tce_by_carrier(ledger, [YEAR - 1, YEAR], firms, resolver)
    old = old_tce_by_carrier(ledger, [YEAR - 1, YEAR], firms, resolver)
    assert len(new) == 100 * 2 * ledger.energy["carrier"].nunique()
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    coal = new[new["carrier"] == "bituminous_coal"].set_index("enterprise_id")["tce"]
    own, park = coal.loc[sorted(firms)[0]], coal.drop(sorted(firms)[0])
    quantity = ledger.energy.query("carrier == 'bituminous_coal'").groupby("enterprise_id", observed=True)["quantity"]
    # 22 GJ/t over 29.3076 GJ/tce (GB/T 2589-2020's 7,000 kcal/kg) for the one, the library's 烟煤 for the rest
    assert own.sum() == pytest.approx(quantity.sum()[sorted(firms)[0]] * 22.0 / 29.3076, rel=1e-9)
    assert not np.allclose(park.sum() / quantity.sum()[park.index.unique()].sum(), 22.0 / 29.3076)


def test_claims_without_an_id_are_listed_as_python_shows_them():
    """A ledger built in Python may hold projects without an id (``Ledger.from_frames`` refuses them; the
    constructor takes its tables as given): the account completes, and the reconciliation lists such a claim as
    ``None``, as it always did (a blank id once made the claims' list fail to join)."""
    sample = carbon.read_workbook(carbon.sample_workbook_path())
    tables = sample.tables
    projects = tables["projects"]
    projects["project_id"] = projects["project_id"].astype(object)
    projects.loc[projects.index[:12], "project_id"] = None
    tables["projects"] = projects
    table = carbon.Ledger(sample.park, tables).account().tables["reconciliation"]
    listed = [claim for claims in table["claims"].dropna() for claim in claims.split(", ")]
    assert "None" in listed and table["claimed_change_tce"].notna().all()
