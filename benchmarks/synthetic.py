"""Deterministic synthetic park ledgers for the benchmarks: n enterprises x 12 months x 6 carriers."""

from __future__ import annotations

import numpy as np
import pandas as pd

import carbon
from carbon.validation.uscc import ALPHABET, uscc_check_character

CARRIERS = {  # carrier: (unit, monthly quantity range)
    "electricity": ("万kWh", (5.0, 500.0)),
    "natural_gas": ("万Nm3", (0.5, 20.0)),
    "diesel": ("吨", (1.0, 30.0)),
    "bituminous_coal": ("吨", (10.0, 800.0)),
    "heat": ("GJ", (100.0, 5000.0)),
    "gasoline": ("吨", (0.5, 10.0)),
}
INDUSTRIES = ["多晶硅", "单晶硅", "锂电材料", "铜箔", "碳纤维", "有色金属", "化工", "食品"]
SUB_PARKS = ("东区", "西区", "南区", "北区")


def codes(n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct, well-formed unified social credit codes."""
    alphabet = np.array(list(ALPHABET))
    body = rng.choice(alphabet, size=(n, 9))
    out = []
    seen: set[str] = set()
    for i, row in enumerate(body):
        first17 = f"91630100{''.join(row)}"
        if first17 in seen:  # astronomically rare; keep the codes unique
            first17 = f"91630100{i:09d}"
        seen.add(first17)
        out.append(first17 + uscc_check_character(first17))
    return np.array(out, dtype=object)


def make_ledger(
    n_enterprises: int,
    seed: int = 2023,
    years: tuple[int, ...] = (2023,),
    *,
    name: str | None = None,
    province: str = "Qinghai",
) -> carbon.Ledger:
    """A typed ledger (built without workbook validation) with monthly energy for every enterprise: 72 energy
    rows an enterprise and year. ``name`` and ``province`` (a region id) are the park's."""
    rng = np.random.default_rng(seed)
    ids = codes(n_enterprises, rng)
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ids,
            "id_type": None,
            "name": [f"企业{i:06d}有限公司" for i in range(n_enterprises)],
            "sub_park": np.array(SUB_PARKS, dtype=object)[rng.integers(0, len(SUB_PARKS), n_enterprises)],
            "industry": np.array(INDUSTRIES, dtype=object)[rng.integers(0, len(INDUSTRIES), n_enterprises)],
            "above_designated_size": pd.array(rng.random(n_enterprises) < 0.7, dtype="boolean"),
            "source_row": pd.array(np.arange(2, n_enterprises + 2), dtype="Int64"),
        }
    )
    frames = []
    for year in years:
        for carrier, (unit, (low, high)) in CARRIERS.items():
            n = n_enterprises * 12
            frames.append(
                pd.DataFrame(
                    {
                        "enterprise_id": np.repeat(ids, 12),
                        "year": year,
                        "month": np.tile(np.arange(1, 13), n_enterprises),
                        "carrier": carrier,
                        "quantity": rng.uniform(low, high, n).round(3),
                        "unit": unit,
                        "use": "fuel",
                    }
                )
            )
    energy = pd.concat(frames, ignore_index=True)
    energy["year"] = energy["year"].astype("Int64")
    energy["month"] = energy["month"].astype("Int64")
    energy["source_row"] = pd.array(np.arange(2, len(energy) + 2), dtype="Int64")
    economics = pd.DataFrame(
        {
            "enterprise_id": np.tile(ids, len(years)),
            "year": pd.array(np.repeat(years, n_enterprises), dtype="Int64"),
            "output_value": rng.uniform(1e3, 1e6, n_enterprises * len(years)).round(1),
            "added_value": rng.uniform(2e2, 2e5, n_enterprises * len(years)).round(1),
        }
    )
    economics["source_row"] = pd.array(np.arange(2, len(economics) + 2), dtype="Int64")
    buyers = ids[: max(1, n_enterprises // 10)]
    green = pd.DataFrame(
        {
            "enterprise_id": buyers,
            "year": pd.array([years[-1]] * len(buyers), dtype="Int64"),
            "month": pd.array([None] * len(buyers), dtype="Int64"),
            "instrument": "trade",
            "quantity": rng.uniform(1.0, 100.0, len(buyers)).round(1),
            "unit": "MWh",
            "certificate_id": [f"T-{i}" for i in range(len(buyers))],
            "source": "pv",
            "source_row": pd.array(np.arange(2, len(buyers) + 2), dtype="Int64"),
        }
    )
    park = {
        "name": name or f"合成园区 {n_enterprises}",
        "province": province,
        "reporting_year": years[-1],
        "baseline_year": years[0],
        "sub_parks": SUB_PARKS,
    }
    return carbon.Ledger(
        park, {"enterprises": enterprises, "energy": energy, "economics": economics, "green_power": green}
    )
