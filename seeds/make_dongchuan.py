"""Generate the sample park workbook ``seeds/dongchuan_2023.xlsx`` (deterministic).

A fictional but realistic park modelled on the Dongchuan Industrial Park of the Xining economic and
technological development zone (Qinghai), reporting year 2023, baseline 2022. Enterprise names and codes
are invented; the park-level figures the park has published are reproduced exactly:

- 36 boilers, 212.3 t/h of steam in all, retrofitted to low-carbon fuels in 2023;
- 13 enterprises generating 46,000 t of general industrial solid waste, utilised at 96.8 %;
- 6 national and 11 provincial green factories;
- 2024 targets: at least 20 energy-saving and carbon-reduction retrofit projects, 4 new green factories;
- the year's completed retrofit projects and 2024's planned ones, with responsible units and deadlines.

The claims agree with the energy sheet as a verifier checks them: project savings within the enterprise's use,
the boilers' fuel before on the 2022 rows, their fuel after on the 2023 rows, and what the 2023 claims save shown
as a fall from 2022 (``boiler_energy``, ``consistent_projects``, ``savings_show_in_the_baseline``; seeds/README.md,
"Consistency").

For the zero-carbon-park method (发改环资〔2025〕910号 附件4) it also holds an industrial-silicon works (output,
reductants as feedstock; new in 2022), a heat company selling heat to four neighbours, on-site PV partly sent out of
the park, and a small natural-gas liquefaction plant (an energy conversion).

Many years (issue 16): whole-year energy for 2020 and 2021 (2020 the COVID year, 2021 the recovery), economics for
2020-2023 with output and added value at 2020 prices (deflated by the national PPI, an assumption), solid waste and
resources for 2020-2022, three boundary changes (the silicon works new in 2022, an enterprise moved in in 2023, one
that moved out in 2023) and 2025 targets against 2020 (the 14th five-year plan's 13.5 % and 18 %, and an energy cap).
All drawn from streams of their own and appended: the rows of 2022 and 2023 stay exactly as they were.

Run ``python seeds/make_dongchuan.py`` to rewrite the workbook; the same code gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

import carbon
from carbon.validation.uscc import ALPHABET, uscc_check_character

OUT = Path(__file__).with_name("dongchuan_2023.xlsx")
SEED = 2023
CREATED = dt.datetime(2024, 3, 1, 9, 0, 0)

PARK = {
    "name": "西宁经济技术开发区东川工业园区",
    "province": "青海",
    "reporting_year": 2023,
    "baseline_year": 2022,
    "sub_parks": ("光伏材料片区", "新材料片区", "综合产业片区"),
}

# industry: (count, sub-park, electricity 万kWh per year (low, high), other carriers)
INDUSTRIES = {
    "多晶硅": (2, "光伏材料片区", (60000, 110000), ["天然气", "热力"]),
    "单晶硅": (5, "光伏材料片区", (15000, 40000), ["天然气"]),
    "石英坩埚": (3, "光伏材料片区", (1500, 4000), ["天然气"]),
    "锂电材料": (6, "新材料片区", (3000, 12000), ["天然气", "热力"]),
    "铜箔": (3, "新材料片区", (5000, 15000), ["天然气"]),
    "碳纤维": (2, "新材料片区", (20000, 35000), ["天然气", "热力"]),
    "有色金属": (6, "综合产业片区", (4000, 20000), ["烟煤", "天然气"]),
    "化工": (8, "综合产业片区", (1500, 8000), ["烟煤", "天然气", "柴油"]),
    "食品": (7, "综合产业片区", (200, 1200), ["天然气"]),
}
NAMES = [
    "晶阳",
    "丽硅",
    "东亚",
    "高原",
    "昆仑",
    "湟水",
    "青峰",
    "雪域",
    "河湟",
    "祁连",
    "瀚海",
    "星源",
    "同辉",
    "聚能",
    "金川",
    "宏达",
    "柴达",
    "三江",
    "藏青",
    "夏都",
]
SUFFIX = {
    "多晶硅": "硅业",
    "单晶硅": "光电",
    "石英坩埚": "石英材料",
    "锂电材料": "锂能材料",
    "铜箔": "铜箔",
    "碳纤维": "碳纤维",
    "有色金属": "有色金属",
    "化工": "化工",
    "食品": "食品",
}


def uscc(rng: np.random.Generator) -> str:
    """A well-formed, fictional unified social credit code of a Xining (630100) enterprise."""
    body = "91630100" + "".join(rng.choice(list(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY"), 9))
    return body + uscc_check_character(body)


def enterprises(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    names = iter(NAMES * 3)
    for industry, (count, sub_park, _, _) in INDUSTRIES.items():
        for i in range(count):
            rows.append(
                {
                    "enterprise_id": uscc(rng),
                    "name": f"青海{next(names)}{SUFFIX[industry]}{'股份' if i == 0 else ''}有限公司",
                    "sub_park": sub_park,
                    "industry": industry,
                    "above_designated_size": industry != "食品" or i < 4,
                }
            )
    frame = pd.DataFrame(rows)
    frame.loc[len(frame) - 1, ["enterprise_id", "id_type"]] = ["DC-INT-0042", "internal"]
    return frame


def economics(rng: np.random.Generator, firms: pd.DataFrame, power: dict[str, float]) -> pd.DataFrame:
    rows = []
    for firm in firms.itertuples():
        output_2023 = round(power[firm.enterprise_id] * rng.uniform(2.5, 6.0), -1)
        for year, factor in ((2022, rng.uniform(0.7, 0.95)), (2023, 1.0)):
            output = round(output_2023 * factor, -1)
            rows.append(
                {
                    "enterprise_id": firm.enterprise_id,
                    "year": year,
                    "output_value": output,
                    "added_value": round(output * rng.uniform(0.18, 0.32), -1),
                }
            )
    return pd.DataFrame(rows)


SEASON = np.array([1.18, 1.12, 1.02, 0.95, 0.9, 0.88, 0.9, 0.92, 0.95, 1.0, 1.08, 1.1])


def energy(rng: np.random.Generator, firms: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    rows = []
    power: dict[str, float] = {}
    for firm in firms.itertuples():
        _, _, (low, high), others = INDUSTRIES[firm.industry]
        annual = {"电力": rng.uniform(low, high)}
        power[firm.enterprise_id] = annual["电力"]
        for carrier in others:
            if carrier == "天然气":
                annual[carrier] = annual["电力"] * rng.uniform(0.002, 0.01)
            elif carrier == "热力":
                annual[carrier] = annual["电力"] * rng.uniform(0.4, 1.2)
            elif carrier == "烟煤":
                annual[carrier] = annual["电力"] * rng.uniform(0.3, 0.8)
            elif carrier == "柴油":
                annual[carrier] = rng.uniform(20, 120)
        units = {"电力": "万kWh", "天然气": "万Nm3", "热力": "GJ", "烟煤": "吨", "柴油": "吨"}
        for carrier, total in annual.items():
            shape = SEASON * rng.uniform(0.95, 1.05, 12)
            monthly = total * shape / shape.sum()
            for year, scale in ((2022, rng.uniform(0.85, 0.98)), (2023, 1.0)):
                if year == 2022:
                    # the baseline year is reported as whole-year totals
                    rows.append(
                        {
                            "enterprise_id": firm.enterprise_id,
                            "year": 2022,
                            "month": None,
                            "carrier": carrier,
                            "quantity": round(total * scale, 2),
                            "unit": units[carrier],
                            "use": "终端消费",
                        }
                    )
                    continue
                for month, quantity in enumerate(monthly, start=1):
                    rows.append(
                        {
                            "enterprise_id": firm.enterprise_id,
                            "year": 2023,
                            "month": month,
                            "carrier": carrier,
                            "quantity": round(quantity, 2),
                            "unit": units[carrier],
                            "use": "终端消费",
                        }
                    )
    frame = pd.DataFrame(rows)
    # the chemical works also take natural gas as a feedstock, and one burns raw coal with measured properties
    chemical = firms[firms["industry"] == "化工"]["enterprise_id"].tolist()
    frame = pd.concat(
        [
            frame,
            pd.DataFrame(
                [
                    {
                        "enterprise_id": chemical[0],
                        "year": 2023,
                        "month": None,
                        "carrier": "天然气",
                        "quantity": 850.0,
                        "unit": "万Nm3",
                        "use": "原料",
                    }
                ]
            ),
            pd.DataFrame(
                [
                    {
                        "enterprise_id": chemical[1],
                        "year": 2023,
                        "month": None,
                        "carrier": "原煤",
                        "quantity": 12500.0,
                        "unit": "吨",
                        "use": "终端消费",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return frame, {k: v for k, v in power.items()}


def green_power(rng: np.random.Generator, firms: pd.DataFrame, power: dict[str, float]) -> pd.DataFrame:
    rows = []
    solar = firms[firms["industry"].isin(["多晶硅", "单晶硅", "碳纤维", "铜箔"])]
    for k, firm in enumerate(solar.itertuples()):
        use_mwh = power[firm.enterprise_id] * 10
        rows.append(
            {
                "enterprise_id": firm.enterprise_id,
                "year": 2023,
                "instrument": "绿电交易",
                "quantity": round(use_mwh * rng.uniform(0.25, 0.5), 0),
                "unit": "MWh",
                "certificate_id": f"QH-LDJY-2023-{k + 1:03d}",
                "source": "光伏" if k % 2 else "风电",
            }
        )
        if k % 3 == 0:
            for j in range(2):
                rows.append(
                    {
                        "enterprise_id": firm.enterprise_id,
                        "year": 2023,
                        "instrument": "绿证",
                        "quantity": float(round(use_mwh * rng.uniform(0.03, 0.08))),
                        "unit": "张",
                        "certificate_id": f"GEC-2023-QH-{k:02d}{j:02d}",
                        "source": "光伏",
                    }
                )
    pv = firms[firms["industry"].isin(["锂电材料", "食品"])].head(5)
    for firm in pv.itertuples():
        rows.append(
            {
                "enterprise_id": firm.enterprise_id,
                "year": 2023,
                "instrument": "自发自用",
                "quantity": round(rng.uniform(80, 600), 1),
                "unit": "万kWh",
                "certificate_id": None,
                "source": "光伏",
            }
        )
    return pd.DataFrame(rows)


#: How the retrofitted boilers ran before and what they use after (see "consistency" in seeds/README.md).
BOILERS = {
    # hours a year and average load before the retrofit: space heating over Xining's heating season (15 October to
    # 15 April, about 4,400 h) and process steam in shifts; small boilers in a park seldom run near full load
    "hours": (2000.0, 4400.0),
    "load": (0.22, 0.42),
    "mw_per_t_h": 0.7,  # 1 蒸吨/h of steam is about 0.7 MW of heat
    # the boilers' 2022 fuel as a share of their annual fuel before (the ledger's figure is a typical year)
    "use_2022": (0.97, 1.04),
    # monthly shape of boiler fuel and heat: most of it in the heating season
    "season": np.array([1.55, 1.4, 1.2, 0.9, 0.65, 0.55, 0.5, 0.5, 0.6, 0.95, 1.3, 1.5]),
    # biomass pellets (生物质成型燃料) bought by the tonne, calorific value measured by each buyer
    "biomass_ncv": 16.2,  # GJ/t
}


def boilers(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    """36 boilers whose capacities (in tenths of t/h) add up to exactly 212.3 t/h."""
    sizes = rng.choice([5, 10, 20, 40, 60, 100, 150, 200], 35, p=[0.1, 0.2, 0.25, 0.2, 0.1, 0.1, 0.03, 0.02])
    last = 2123 - int(sizes.sum())
    while not 5 <= last <= 200:
        sizes = rng.choice([5, 10, 20, 40, 60, 100], 35)
        last = 2123 - int(sizes.sum())
    tenths = np.append(sizes, last)
    owners = firms[~firms["industry"].isin(["多晶硅"])].sample(20, random_state=SEED)["enterprise_id"].tolist()
    after = rng.choice(["天然气", "电力", "生物质", "拆除"], 36, p=[0.62, 0.2, 0.08, 0.1])
    factors = carbon.load_factors()
    rows = []
    for k, t in enumerate(tenths):
        capacity = t / 10
        row = {
            "boiler_id": f"DC-GL-{k + 1:03d}",
            "enterprise_id": owners[k % len(owners)],
            "capacity": capacity,
            "fuel_before": "烟煤" if k % 7 else "燃料油",
            "fuel_after": after[k],
            "retrofit_date": dt.date(2023, 1 + int(rng.integers(0, 11)), 1 + int(rng.integers(0, 27))),
        }
        # (one draw each, whatever the ranges: the tables drawn after the boilers keep their figures)
        hours = rng.uniform(*BOILERS["hours"])
        load = rng.uniform(*BOILERS["load"])
        heat = round(capacity * BOILERS["mw_per_t_h"] * 3.6 * hours * load, 0)  # GJ: MW x h x 3.6 x load
        efficiency = float(round(rng.uniform(62, 75))) if k % 3 == 0 else None
        if k % 4 == 3:
            # the fuel before as the enterprise metered it: heat / efficiency before (given, else GB 24500-2020)
            used = efficiency or factors.boiler_efficiency(row["fuel_before"], capacity).value
            row["fuel_before_quantity"] = round(heat / (used / 100) / factors.fuel(row["fuel_before"]).ncv.value, 1)
            row["fuel_before_unit"] = "吨"
        else:
            row["heat_output"] = heat
        if efficiency is not None:
            row["efficiency_before"] = efficiency
            row["efficiency_after"] = {"天然气": 92.0, "电力": 98.0, "生物质": 82.0, "拆除": None}[after[k]]
        rows.append(row)
    frame = pd.DataFrame(rows)
    assert round(frame["capacity"].sum(), 6) == 212.3
    return frame


def _boiler_figures(table: pd.DataFrame) -> pd.DataFrame:
    """Per boiler: heat a year [GJ], fuel before a year [its unit, t] and energy after a year [GJ], the efficiencies
    given or, where blank, the GB 24500-2020 limits (as the account and the checks take them)."""
    factors = carbon.load_factors()
    out = []
    for row in table.itertuples():
        ncv = factors.fuel(row.fuel_before).ncv.value
        before = (
            row.efficiency_before
            if pd.notna(row.efficiency_before)
            else factors.boiler_efficiency(row.fuel_before, row.capacity).value
        ) / 100
        if pd.notna(row.heat_output):
            fuel_t = row.heat_output / before / ncv
            heat = row.heat_output
        else:
            fuel_t = row.fuel_before_quantity
            heat = fuel_t * ncv * before
        if row.fuel_after == "拆除":
            after = 1.0  # the same heat, bought
        elif pd.notna(row.efficiency_after):
            after = row.efficiency_after / 100
        else:
            after = factors.boiler_efficiency(row.fuel_after, row.capacity).value / 100
        out.append({"heat_gj": heat, "fuel_before_t": fuel_t, "after_gj": heat / after})
    return pd.DataFrame(out, index=table.index)


#: the fuel after on the energy sheet: carrier, unit and GJ per unit (biomass at its measured calorific value)
AFTER_ENERGY = {
    "天然气": ("天然气", "万Nm3", 389.31),
    "电力": ("电力", "万kWh", 36.0),
    "生物质": ("生物质", "吨", BOILERS["biomass_ncv"]),
    "拆除": ("热力", "GJ", 1.0),
}


def boiler_energy(
    energy_table: pd.DataFrame, boiler_table: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, dict[tuple[str, str], float]]:
    """The retrofitted boilers' energy on the energy sheet: their fuel before in 2022 (a whole year) and in 2023
    up to the retrofit, their fuel after (gas, electricity, biomass, or bought heat for a removed boiler) from
    it on, month by month along the heating season. Added to the enterprise's rows of the carrier, or as new rows.
    Also the biomass buyers' measured calorific value (custom factors), and the boilers' 2022 fuel by enterprise and
    fuel (t; the years before the baseline keep it apart from the rest of the row). The heat replacing a removed
    boiler is bought from outside the park: the heat company's sales, drawn before, stay as they were."""
    rng = np.random.default_rng(SEED + 36)
    figures = _boiler_figures(boiler_table)
    season = BOILERS["season"] / BOILERS["season"].sum()
    added: dict[tuple, float] = {}  # (enterprise, year, month, carrier, unit) -> quantity

    def add(enterprise, year, month, carrier, unit, quantity):
        key = (enterprise, year, month, carrier, unit)
        added[key] = added.get(key, 0.0) + quantity

    for row, figure in zip(boiler_table.itertuples(), figures.itertuples(), strict=True):
        date = pd.Timestamp(row.retrofit_date)
        add(
            row.enterprise_id,
            2022,
            None,
            row.fuel_before,
            "吨",
            figure.fuel_before_t * rng.uniform(*BOILERS["use_2022"]),
        )
        # share of each month before the retrofit (the retrofit month by its days)
        days = date.days_in_month
        before = np.array(
            [1.0 if m < date.month else ((date.day - 1) / days if m == date.month else 0.0) for m in range(1, 13)]
        )
        carrier, unit, gj_per_unit = AFTER_ENERGY[row.fuel_after]
        for month in range(1, 13):
            if before[month - 1] > 0:
                add(
                    row.enterprise_id,
                    2023,
                    month,
                    row.fuel_before,
                    "吨",
                    figure.fuel_before_t * season[month - 1] * before[month - 1],
                )
            if before[month - 1] < 1:
                after = figure.after_gj * season[month - 1] * (1 - before[month - 1]) / gj_per_unit
                add(row.enterprise_id, 2023, month, carrier, unit, after)

    frame = energy_table.copy()
    key = ["enterprise_id", "year", "month", "carrier", "unit"]
    index = {
        (r.enterprise_id, r.year, None if pd.isna(r.month) else int(r.month), r.carrier, r.unit): i
        for i, r in frame[frame["use"] == "终端消费"].iterrows()
    }
    new = []
    for (enterprise, year, month, carrier, unit), quantity in sorted(added.items(), key=lambda kv: str(kv[0])):
        at = index.get((enterprise, year, month, carrier, unit))
        if at is not None:
            frame.at[at, "quantity"] = round(frame.at[at, "quantity"] + quantity, 2)
        else:
            new.append(
                dict(zip(key, (enterprise, year, month, carrier, unit), strict=True))
                | {"quantity": round(quantity, 2), "use": "终端消费"}
            )
    frame = pd.concat([frame, pd.DataFrame(new)], ignore_index=True)
    biomass = sorted(boiler_table.loc[boiler_table["fuel_after"] == "生物质", "enterprise_id"].unique())
    measured = pd.DataFrame(
        [
            {
                "enterprise_id": enterprise,
                "parameter": "低位发热量",
                "carrier": "生物质",
                "year": 2023,
                "value": BOILERS["biomass_ncv"],
                "unit": "GJ/t",
                "evidence": f"生物质成型燃料热值检测报告 QH-SW-2023-{k + 1:03d}",
            }
            for k, enterprise in enumerate(biomass)
        ]
    )
    in_2022 = {(e, c): q for (e, y, _, c, _), q in added.items() if y == 2022}
    return frame, measured, in_2022


WASTE_TYPES = ["冶炼废渣", "粉煤灰", "炉渣", "废石英", "脱硫石膏", "污泥", "废包装材料"]


def _utilised(generated: np.ndarray, prior: np.ndarray, rates: np.ndarray, target: int) -> np.ndarray:
    """Each enterprise's utilisation (old stock included) at its drawn rate, with the difference to the exact park
    total ``target`` spread over the enterprises, largest first, within what each can utilise."""
    utilized = np.round(generated * rates).astype(int) + prior
    difference = int(target - utilized.sum())
    for k in np.argsort(-generated):
        room = (generated[k] + prior[k] - utilized[k]) if difference > 0 else -(utilized[k] - prior[k])
        step = min(difference, room) if difference > 0 else max(difference, room)
        utilized[k] += step
        difference -= step
        if difference == 0:
            break
    return utilized


def _waste_rows(
    producers: list[str], year: int, generated: np.ndarray, utilized: np.ndarray, prior: np.ndarray
) -> pd.DataFrame:
    """The rows of one year: what is left after utilisation is 70 % disposed and 30 % stored."""
    rows = []
    for k, enterprise in enumerate(producers):
        left = generated[k] - (utilized[k] - prior[k])
        disposed = int(round(left * 0.7))
        rows.append(
            {
                "enterprise_id": enterprise,
                "year": year,
                "waste_type": WASTE_TYPES[k % len(WASTE_TYPES)],
                "generated": float(generated[k]),
                "utilized": float(utilized[k]),
                "prior_stock_utilized": float(prior[k]),
                "disposed": float(disposed),
                "stored": float(left - disposed),
            }
        )
    return pd.DataFrame(rows)


def _waste_rate(frame: pd.DataFrame) -> float:
    """The park's utilisation rate by the NBS formula."""
    return carbon.waste_utilization_rate(
        frame["generated"].sum(), frame["utilized"].sum(), frame["prior_stock_utilized"].sum()
    )


def solid_waste(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    """13 enterprises, 46,000 t generated, utilisation exactly 96.8 % (NBS formula)."""
    producers = (
        firms[firms["industry"].isin(["有色金属", "化工", "多晶硅", "碳纤维", "石英坩埚"])]
        .head(13)["enterprise_id"]
        .tolist()
    )
    weights = rng.uniform(0.3, 1.0, 13)
    generated = np.floor(weights / weights.sum() * 46000).astype(int)
    generated[0] += 46000 - generated.sum()
    prior = np.zeros(13, dtype=int)
    prior[1] = 500  # one works draws down 500 t of old stock
    target = round(0.968 * (46000 + prior.sum()))  # 45,012 t
    rates = rng.uniform(0.93, 0.995, 13)
    frame = _waste_rows(producers, 2023, generated, _utilised(generated, prior, rates, target), prior)
    assert frame["generated"].sum() == 46000
    assert _waste_rate(frame) == 0.968
    return frame


def green_factories(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    chosen = firms[firms["above_designated_size"]].sample(17, random_state=SEED)["enterprise_id"].tolist()
    rows = []
    for k, enterprise in enumerate(chosen):
        national = k < 6
        rows.append(
            {
                "enterprise_id": enterprise,
                "level": "国家级" if national else "省级",
                "year_awarded": int(rng.integers(2018, 2024)) if k != 16 else 2023,
                "certificate_no": f"{'工信部' if national else '青工信'}绿色制造名单 {k + 1:02d}",
            }
        )
    return pd.DataFrame(rows)


CATEGORIES = [
    "余热余压利用",
    "电机系统节能",
    "工艺节能改造",
    "可再生能源利用",
    "数字化能碳管理",
    "锅炉窑炉改造",
    "建筑节能",
]
UNITS_RESPONSIBLE = ["园区经济发展局", "园区生态环境局", "园区规划建设局", "企业能源管理部"]
PEOPLE = ["王建国", "李晓梅", "张海龙", "马文杰", "赵雪琴", "韩永胜", "祁玉兰"]


def projects(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for k in range(46):
        year = 2023 if k < 24 else 2024
        firm = firms.iloc[int(rng.integers(0, len(firms)))]
        category = CATEGORIES[k % len(CATEGORIES)]
        planned = dt.date(year, 3 + int(rng.integers(0, 9)), 28)
        if year == 2023:
            status = "已完成" if k < 22 else "在建"
        else:
            status = "计划" if k % 5 else "在建"
        saving, unit, carrier = {
            "余热余压利用": (round(rng.uniform(800, 6000)), "tce", "热力"),
            "电机系统节能": (round(rng.uniform(50, 600)), "万kWh", "电力"),
            "工艺节能改造": (round(rng.uniform(100, 1500)), "万kWh", "电力"),
            "可再生能源利用": (round(rng.uniform(200, 2000)), "万kWh", "电力"),
            "数字化能碳管理": (round(rng.uniform(30, 400)), "万kWh", "电力"),
            "锅炉窑炉改造": (round(rng.uniform(20, 200)), "万Nm3", "天然气"),
            "建筑节能": (round(rng.uniform(500, 4000)), "GJ", "热力"),
        }[category]
        row = {
            "project_id": f"JN-{year}-{k + 1:02d}",
            "enterprise_id": firm["enterprise_id"],
            "name": f"{firm['name'][2:6]}{category}项目",
            "category": category,
            "status": status,
            "responsible_unit": UNITS_RESPONSIBLE[k % len(UNITS_RESPONSIBLE)],
            "responsible_person": PEOPLE[k % len(PEOPLE)],
            "planned_completion": planned,
            "completion_date": planned - dt.timedelta(days=int(rng.integers(-20, 40))) if status == "已完成" else None,
            "investment": float(round(rng.uniform(120, 8000), 0)),
            "saving_quantity": float(saving),
            "saving_unit": unit,
            "saving_carrier": carrier,
            "declared_reduction": float(round(rng.uniform(100, 9000))) if k % 3 == 0 else None,
        }
        rows.append(row)
    return pd.DataFrame(rows)


#: The largest share of the enterprise's use of the carrier saved (in the year before the project) that a project of
#: each category plausibly claims: motors are most of a works' electricity and save a tenth of theirs, on-site
#: renewables cover up to a third of a small works' power, energy management a few per cent, a waste-heat project
#: up to a third of the heat (or, in a works that buys none, of the fuel its boilers burn).
SAVING_SHARE = {
    "余热余压利用": 0.3,
    "电机系统节能": 0.12,
    "工艺节能改造": 0.15,
    "可再生能源利用": 0.3,
    "数字化能碳管理": 0.05,
    "锅炉窑炉改造": 0.2,
    "建筑节能": 0.15,
}
FUELS = ("原煤", "烟煤", "洗精煤", "焦炭", "柴油", "燃料油", "天然气", "液化天然气", "生物质")


def _energy_tce(energy_table: pd.DataFrame) -> pd.Series:
    """tce of each energy row (biomass at its measured calorific value)."""
    tce = pd.Series(0.0, index=energy_table.index)
    for (carrier, unit), group in energy_table.groupby(["carrier", "unit"]):
        ncv = (BOILERS["biomass_ncv"], "GJ/t") if carrier == "生物质" else None
        tce[group.index] = carbon.to_tce(group["quantity"].to_numpy(float), unit, carrier, ncv=ncv)
    return tce


def _tce_per_unit(unit: str, carrier: str) -> float:
    """tce per unit of a saving or an energy row (biomass at its measured calorific value)."""
    if unit == "tce":
        return 1.0
    ncv = (BOILERS["biomass_ncv"], "GJ/t") if carrier == "生物质" else None
    return float(carbon.to_tce(1.0, unit, carrier, ncv=ncv))


def _reference_year(energy_table: pd.DataFrame, enterprise: str, project) -> int:
    """The year a project's saving is compared with: the year before its completion (else its planned
    completion), else the latest earlier year with energy data, else that year itself."""
    when = project["completion_date"] if pd.notna(project["completion_date"]) else project["planned_completion"]
    have = set(energy_table.loc[energy_table["enterprise_id"] == enterprise, "year"].astype(int))
    earlier = [y for y in have if y < when.year]
    return when.year - 1 if when.year - 1 in have else (max(earlier) if earlier else when.year)


def consistent_projects(table: pd.DataFrame, energy_table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list]]:
    """The drawn projects made to agree with the energy sheet (see "consistency" in seeds/README.md):

    - a completed heat-saving project in a works that buys no heat saved fuel its own boilers burn: its saving is
      stated as that fuel (the one it burns most), so that the energy sheet can show it;
    - a saving above ``SAVING_SHARE`` of the enterprise's use of the carrier in the reference year is lowered to a
      share between half and all of that limit, rounded down to two significant figures.

    Returns the table and the project ids changed, by change."""
    rng = np.random.default_rng(SEED + 46)
    energy_table = energy_table.assign(tce=_energy_tce(energy_table))
    out = table.copy()
    changed: dict[str, list] = {"restated as fuel": [], "lowered": []}
    for index, project in table.iterrows():
        share = SAVING_SHARE[project["category"]] * rng.uniform(0.5, 1.0)  # drawn for every project
        year = _reference_year(energy_table, project["enterprise_id"], project)
        mine = energy_table[
            (energy_table["enterprise_id"] == project["enterprise_id"]) & (energy_table["year"] == year)
        ]
        carrier, unit = project["saving_carrier"], project["saving_unit"]
        if carrier == "热力" and not (mine["carrier"] == "热力").any():
            fuels = mine[mine["carrier"].isin(FUELS) & (mine["use"] == "终端消费")].groupby("carrier")["tce"].sum()
            if project["status"] == "已完成":
                carrier = fuels.idxmax()
                out.at[index, "saving_carrier"] = carrier
                changed["restated as fuel"].append(project["project_id"])
                use = fuels.max()
            else:
                use = mine.loc[mine["carrier"].isin(FUELS), "tce"].sum()  # heat of its own boilers: the fuel
        else:
            use = mine.loc[mine["carrier"] == carrier, "tce"].sum()
        per_unit = _tce_per_unit(unit, carrier)
        if project["saving_quantity"] * per_unit <= SAVING_SHARE[project["category"]] * use:
            continue
        limit = share * use / per_unit
        step = 10.0 ** (int(np.floor(np.log10(limit))) - 1)
        out.at[index, "saving_quantity"] = round(float(np.floor(limit / step) * step), 6)
        changed["lowered"].append(project["project_id"])
    return out, changed


def _in_service(date, year: int) -> float:
    """Share of ``year`` after ``date`` (the date counts), as the account takes it."""
    stamp = pd.Timestamp(date)
    start, end = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year + 1, month=1, day=1)
    return float(np.clip((end - stamp).days / (end - start).days, 0.0, 1.0))


def savings_show_in_the_baseline(
    energy_table: pd.DataFrame, project_table: pd.DataFrame, boiler_table: pd.DataFrame
) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """What the 2023 claims save shows on the energy sheet as a fall from 2022.

    Per enterprise and carrier, the claimed change from 2022 to 2023: a project completed in 2023 saves its annual
    saving times its share of 2023 in service, a boiler retrofitted in 2023 stops burning its fuel before and
    starts using its fuel after for its share of 2023 (in days, as the account counts it; the boilers' monthly fuel
    follows the heating season). Where that is a fall (10 tce or more) and the rows fall by less than 60 % of it
    (the generator drew 2023 above 2022 for growth), the enterprise's 2022 row is raised to 2023 plus the claimed
    fall times 0.95-1.25 (its other use about level). Returns the table and the pairs raised."""
    rng = np.random.default_rng(SEED + 22)
    figures = _boiler_figures(boiler_table)
    claimed: dict[tuple[str, str], float] = {}  # tce, negative: a fall

    def claim(enterprise: str, carrier: str, tce: float) -> None:
        claimed[(enterprise, carrier)] = claimed.get((enterprise, carrier), 0.0) + tce

    for project in project_table.itertuples():
        if project.status == "已完成" and pd.notna(project.completion_date) and pd.notna(project.saving_quantity):
            share = _in_service(project.completion_date, 2023) - _in_service(project.completion_date, 2022)
            tce = project.saving_quantity * _tce_per_unit(project.saving_unit, project.saving_carrier)
            claim(project.enterprise_id, project.saving_carrier, -tce * share)
    for row, figure in zip(boiler_table.itertuples(), figures.itertuples(), strict=True):
        share = _in_service(row.retrofit_date, 2023) - _in_service(row.retrofit_date, 2022)
        claim(row.enterprise_id, row.fuel_before, -figure.fuel_before_t * _tce_per_unit("吨", row.fuel_before) * share)
        carrier, unit, gj_per_unit = AFTER_ENERGY[row.fuel_after]
        claim(row.enterprise_id, carrier, figure.after_gj / gj_per_unit * _tce_per_unit(unit, carrier) * share)

    frame = energy_table.copy()
    raised = []
    for (enterprise, carrier), change in sorted(claimed.items()):
        fall = -change
        rows = frame[
            (frame["enterprise_id"] == enterprise) & (frame["carrier"] == carrier) & (frame["use"] == "终端消费")
        ]
        base = rows[rows["year"] == 2022]
        k = rng.uniform(0.95, 1.25)  # drawn for every pair
        if fall < 10 or base.empty:
            continue
        assert len(base) == 1 and rows["unit"].nunique() == 1
        per_unit = _tce_per_unit(rows["unit"].iloc[0], carrier)
        current = rows.loc[rows["year"] == 2023, "quantity"].sum()
        if (base["quantity"].iloc[0] - current) * per_unit >= 0.6 * fall:
            continue
        frame.at[base.index[0], "quantity"] = round(current + fall * k / per_unit, 2)
        raised.append((enterprise, carrier))
    return frame, raised


def resources(rng: np.random.Generator, firms: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for firm in firms.itertuples():
        heat = firm.industry in ("多晶硅", "碳纤维", "有色金属", "化工")
        recoverable = round(rng.uniform(2e4, 4e5), -2) if heat else None
        total = round(rng.uniform(5e4, 3e6), -2)
        level = "不适用" if firm.industry in ("食品", "石英坩埚") else ("一级" if rng.random() < 0.3 else "二级")
        rows.append(
            {
                "enterprise_id": firm.enterprise_id,
                "year": 2023,
                "waste_heat_recoverable": recoverable,
                "waste_heat_utilized": round(recoverable * rng.uniform(0.4, 0.8), -2) if heat else None,
                "water_total": total,
                "water_reused": round(total * rng.uniform(0.75, 0.97), -2),
                "product_energy_level": level,
            }
        )
    return pd.DataFrame(rows)


def custom_factors(firms: pd.DataFrame) -> pd.DataFrame:
    raw_coal_user = firms[firms["industry"] == "化工"]["enterprise_id"].iloc[1]
    return pd.DataFrame(
        [
            {
                "enterprise_id": raw_coal_user,
                "parameter": "低位发热量",
                "carrier": "原煤",
                "year": 2023,
                "value": 21.35,
                "unit": "GJ/t",
                "evidence": "煤质检测报告 QH-MZ-2023-118",
            },
            {
                "enterprise_id": raw_coal_user,
                "parameter": "单位热值含碳量",
                "carrier": "原煤",
                "year": 2023,
                "value": 26.8,
                "unit": "tC/TJ",
                "evidence": "元素分析报告 QH-YS-2023-031",
            },
            {
                "enterprise_id": raw_coal_user,
                "parameter": "碳氧化率",
                "carrier": "原煤",
                "year": 2023,
                "value": 93.0,
                "unit": "%",
                "evidence": "GB/T 32151 缺省值（烟煤 93 %）",
            },
        ]
    )


#: The park's 2025 cap on its energy consumption (综合能源消费量, tce 当量值): the sample's assumption (the second
#: 50,000 t line of industrial silicon, about 70,000 tce a year, within it).
ENERGY_CAP_2025 = 1_100_000.0


def targets() -> pd.DataFrame:
    """2024's published targets; 2025's against 2020 from the national 14th five-year plan (13.5 % and 18 %,
    seeds/README.md) and the park's energy cap (the sample's assumption)."""
    return pd.DataFrame(
        [
            {"indicator": "完成节能降碳改造项目数", "year": 2024, "value": 20.0, "unit": "个"},
            {"indicator": "新增绿色工厂数", "year": 2024, "value": 4.0, "unit": "家"},
            {"indicator": "单位工业增加值能耗降低率", "year": 2025, "value": 13.5, "unit": "%", "base_year": 2020},
            {
                "indicator": "单位工业增加值二氧化碳排放降低率",
                "year": 2025,
                "value": 18.0,
                "unit": "%",
                "base_year": 2020,
            },
            {"indicator": "综合能源消费量", "year": 2025, "value": ENERGY_CAP_2025, "unit": "tce"},
        ]
    ).astype({"base_year": "Int64"})


# -- the zero-carbon-park method (发改环资〔2025〕910号 附件4): silicon, heat, PV sent out, conversion ---------------

#: Figures of the enterprises and flows the park method needs, per year (2022 is the baseline).
SILICON = {
    # the zone's 100,000 t industrial-silicon project: the first 50,000 t line started in October 2022 and ran at
    # 80 % in 2023. (40,000 t keeps the park below 100万 tce 当量值, so that the sample still shows the two tce
    # methods falling into different bands of the core indicator: 0.2 and 0.3 tCO2/tce)
    "output": {2022: 12000.0, 2023: 40000.0},  # t of 工业硅
    "kwh_per_t": {2022: 11900.0, 2023: 11600.0},  # submerged-arc furnaces: 11,000-12,000 kWh/t
    "washed_coal_per_t": 1.40,  # t of 洗精煤 reductant per t of silicon
    "coke_per_t": 0.40,  # t of 焦炭 reductant per t of silicon
    "diesel": {2022: 45.0, 2023: 110.0},  # t, loaders and trucks on site
    "price": {2022: 2.2, 2023: 1.6},  # 万元/t
}
HEAT = {
    # share of each neighbour's heat that the park's heat company supplies (the rest still comes from outside)
    "shares": {
        "青海夏都碳纤维股份有限公司": 0.8,
        "青海晶阳碳纤维有限公司": 0.7,
        "青海瀚海锂能材料股份有限公司": 1.0,
        "青海金川锂能材料有限公司": 0.6,
    },
    "network_loss": 0.05,  # share of the heat generated lost in the network or used by the station
    "boiler_efficiency": 0.92,
    "gas_ncv": 389.31,  # GJ/万Nm3, GB/T 32151 default of natural gas
    "kwh_per_gj": 2.5,  # circulating pumps and fans
    "price": 0.0085,  # 万元/GJ (85 元/GJ)
}
PV = {
    "enterprise": "青海瀚海锂能材料股份有限公司",  # rooftop PV, 自发自用、余电上网
    "sent_out_share": 0.25,  # of its generation
    "own_use_before": {2020: 0.96, 2021: 0.98, 2022: 0.97},  # own use as a share of the next year's
}
LNG = {
    # a small liquefaction plant (15 万Nm3/d) on the zone's gas pipeline, electric-driven
    # 万Nm3, all gas taken in (feed, regeneration and flare gas)
    "gas_in": {2020: 3900.0, 2021: 4300.0, 2022: 4600.0, 2023: 5000.0},
    "lng_per_wan_nm3": 6.85,  # t of LNG per 万Nm3 taken in (about 1,460 Nm3/t)
    "kwh_per_nm3": 0.4,
    "price": 0.45,  # 万元/t
    # measured quality (blank year: every year). The gas of the Qinghai fields is nearly pure methane, leaner
    # than the national defaults (389.31 GJ/万Nm3; LNG 51.498 GJ/t): the plant's own figures keep its carbon
    # balance true, and make it independent of the factor set (factor set cn_set_b has no LNG default)
    "measured": (
        ("低位发热量", "天然气", 356.0, "GJ/万Nm3", "管输天然气气质分析报告（月度加权平均）QH-QZ-2023-12"),
        ("单位热值含碳量", "天然气", 15.02, "tC/TJ", "管输天然气气质分析报告（月度加权平均）QH-QZ-2023-12"),
        ("低位发热量", "液化天然气", 49.8, "GJ/t", "LNG 组分色谱分析报告 NC-LNG-2023-07"),
        ("单位热值含碳量", "液化天然气", 15.1, "tC/TJ", "LNG 组分色谱分析报告 NC-LNG-2023-07"),
    ),
}


def _monthly(total: float, shape: np.ndarray) -> list[float]:
    """``total`` spread over 12 months by ``shape``, rounded to 0.01 with the remainder in December: the months
    add up to ``total`` exactly."""
    months = [round(total * w / shape.sum(), 2) for w in shape]
    months[-1] = round(total - sum(months[:-1]), 2)
    return months


def _add_energy(
    rows: list[dict], enterprise: str, year: int, carrier: str, total: float, unit: str, use: str, shape=None
) -> None:
    """One whole-year row for a year before the reporting year; twelve monthly rows adding up to ``total`` for the
    reporting year."""
    if year != PARK["reporting_year"]:
        rows.append(
            {
                "enterprise_id": enterprise,
                "year": year,
                "month": None,
                "carrier": carrier,
                "quantity": round(total, 2),
                "unit": unit,
                "use": use,
            }
        )
        return
    shape = np.ones(12) if shape is None else shape
    for month, quantity in enumerate(_monthly(total, shape), start=1):
        rows.append(
            {
                "enterprise_id": enterprise,
                "year": year,
                "month": month,
                "carrier": carrier,
                "quantity": quantity,
                "unit": unit,
                "use": use,
            }
        )


def _heat_year(
    year: int, heat: str, by_name: pd.Series, used: pd.Series, energy_rows: list[dict]
) -> tuple[list[dict], dict, dict]:
    """The heat company in one year: its sales to the four neighbours (at most what each used), the heat it
    generated, its gas and electricity (on ``energy_rows``) and its economics row."""
    flows, delivered = [], 0.0
    for name, share in HEAT["shares"].items():
        receiver = by_name[name]
        # GJ, at most what the receiver used: all of it, or a whole-GJ share (the rest from outside the park)
        quantity = round(used[(receiver, year)], 2) if share == 1 else float(np.floor(used[(receiver, year)] * share))
        delivered += quantity
        flows.append(
            {
                "supplier_id": heat,
                "receiver_id": receiver,
                "year": year,
                "carrier": "热力",
                "origin": "化石能源",
                "quantity": quantity,
                "unit": "GJ",
            }
        )
    generated = float(np.ceil(delivered / (1 - HEAT["network_loss"]) / 100) * 100)
    generation = {
        "enterprise_id": heat,
        "year": year,
        "carrier": "热力",
        "origin": "化石能源",
        "quantity": generated,
        "unit": "GJ",
    }
    gas = round(generated / HEAT["boiler_efficiency"] / HEAT["gas_ncv"], 2)
    _add_energy(energy_rows, heat, year, "天然气", gas, "万Nm3", "供热", SEASON)
    _add_energy(
        energy_rows, heat, year, "电力", round(generated * HEAT["kwh_per_gj"] / 1e4, 2), "万kWh", "终端消费", SEASON
    )
    value = round(delivered * HEAT["price"], -1)
    economics = {"enterprise_id": heat, "year": year, "output_value": value, "added_value": round(value * 0.25, -1)}
    return flows, generation, economics


def _pv_year(year: int, pv: str, own_use: float) -> tuple[dict, dict]:
    """The rooftop PV in one year: generated (own use + sent out) and sent out of the park."""
    generated = round(own_use / (1 - PV["sent_out_share"]), 1)
    generation = {
        "enterprise_id": pv,
        "year": year,
        "carrier": "电力",
        "origin": "非化石能源",
        "quantity": generated,
        "unit": "万kWh",
    }
    flow = {
        "supplier_id": pv,
        "receiver_id": None,
        "year": year,
        "carrier": "电力",
        "origin": "非化石能源",
        "quantity": round(generated - own_use, 1),
        "unit": "万kWh",
    }
    return generation, flow


def _lng_year(year: int, lng: str, energy_rows: list[dict]) -> tuple[dict, dict]:
    """The liquefaction plant in one year: gas in and electricity (on ``energy_rows``), LNG out, economics."""
    gas = LNG["gas_in"][year]
    lng_t = gas * LNG["lng_per_wan_nm3"]
    _add_energy(energy_rows, lng, year, "天然气", gas, "万Nm3", "加工转换投入")
    _add_energy(energy_rows, lng, year, "电力", gas * LNG["kwh_per_nm3"], "万kWh", "终端消费")  # 万Nm3 x kWh/Nm3
    output = {
        "enterprise_id": lng,
        "year": year,
        "process": "其他",
        "carrier": "液化天然气",
        "quantity": lng_t,
        "unit": "吨",
    }
    value = lng_t * LNG["price"]
    economics = {"enterprise_id": lng, "year": year, "output_value": value, "added_value": round(value * 0.12, -1)}
    return output, economics


def park910(firms: pd.DataFrame, energy_table: pd.DataFrame, green: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The enterprises, energy rows and tables of the zero-carbon-park method, for 2022 and 2023 (the years before:
    ``park910_earlier``).

    Drawn from their own random stream, so that the original 42 enterprises keep their figures.
    """
    rng = np.random.default_rng(SEED + 910)
    new = pd.DataFrame(
        [
            {"name": "青海西川硅材料有限公司", "sub_park": "光伏材料片区", "industry": "工业硅"},
            {"name": "青海东川热力有限公司", "sub_park": "新材料片区", "industry": "热力供应"},
            {"name": "青海宁川液化天然气有限公司", "sub_park": "综合产业片区", "industry": "天然气液化"},
        ]
    )
    new.insert(0, "enterprise_id", [uscc(rng) for _ in range(len(new))])
    new["above_designated_size"] = True
    assert not set(new["enterprise_id"]) & set(firms["enterprise_id"])
    silicon, heat, lng = new["enterprise_id"]
    by_name = firms.set_index("name")["enterprise_id"]

    energy_rows: list[dict] = []

    # 1. industrial silicon: electricity, reductants as feedstock (the IPCC default 5.0 tCO2/t includes their
    #    carbon), diesel burned on site
    products_rows, economics_rows = [], []
    for year in (2022, 2023):
        output = SILICON["output"][year]
        shape = rng.uniform(0.95, 1.05, 12)
        _add_energy(
            energy_rows, silicon, year, "电力", output * SILICON["kwh_per_t"][year] / 1e4, "万kWh", "终端消费", shape
        )
        _add_energy(energy_rows, silicon, year, "洗精煤", output * SILICON["washed_coal_per_t"], "吨", "原料", shape)
        _add_energy(energy_rows, silicon, year, "焦炭", output * SILICON["coke_per_t"], "吨", "原料", shape)
        _add_energy(energy_rows, silicon, year, "柴油", SILICON["diesel"][year], "吨", "终端消费")
        products_rows.append(
            {"enterprise_id": silicon, "year": year, "product": "工业硅", "output": output, "unit": "吨"}
        )
        value = output * SILICON["price"][year]
        economics_rows.append(
            {"enterprise_id": silicon, "year": year, "output_value": value, "added_value": round(value * 0.2, -1)}
        )

    # 2. the heat company: natural gas burned to supply heat, sold to four neighbours in the new-materials zone
    used = energy_table[energy_table["carrier"] == "热力"].groupby(["enterprise_id", "year"])["quantity"].sum()
    flows_rows, generation_rows = [], []
    for year in (2022, 2023):
        flows, generation, economics = _heat_year(year, heat, by_name, used, energy_rows)
        flows_rows.extend(flows)
        generation_rows.append(generation)
        economics_rows.append(economics)

    # 3. rooftop PV partly sent out of the park: own use (自发自用) + sent out = generated
    pv = by_name[PV["enterprise"]]
    own = green[(green["enterprise_id"] == pv) & (green["instrument"] == "自发自用")]
    assert len(own) == 1 and own["unit"].iloc[0] == "万kWh"
    own_use = {2023: float(own["quantity"].iloc[0])}
    own_use[2022] = round(own_use[2023] * PV["own_use_before"][2022], 1)
    green_rows = [_own_use_row(pv, 2022, own_use[2022])]
    for year in (2022, 2023):
        generation, flow = _pv_year(year, pv, own_use[year])
        generation_rows.append(generation)
        flows_rows.append(flow)

    # 4. natural-gas liquefaction (an energy conversion, 天然气液化): gas in, LNG out; the carbon lost is the gas
    #    burned or flared in the plant (out/in: 96.3 % at the measured quality, 90.6 % at GB/T 32151 defaults)
    outputs_rows = []
    measured = pd.DataFrame(
        [
            {
                "enterprise_id": lng,
                "parameter": parameter,
                "carrier": carrier,
                "year": None,
                "value": value,
                "unit": unit,
                "evidence": evidence,
            }
            for parameter, carrier, value, unit, evidence in LNG["measured"]
        ]
    )
    for year in (2022, 2023):
        output, economics = _lng_year(year, lng, energy_rows)
        outputs_rows.append(output)
        economics_rows.append(economics)

    return {
        "enterprises": new,
        "economics": pd.DataFrame(economics_rows),
        "energy": pd.DataFrame(energy_rows),
        "green_power": pd.DataFrame(green_rows),
        "products": pd.DataFrame(products_rows),
        "generation": pd.DataFrame(generation_rows),
        "power_heat_flows": pd.DataFrame(flows_rows),
        "conversion_outputs": pd.DataFrame(outputs_rows),
        "custom_factors": measured,
    }


def _own_use_row(pv: str, year: int, quantity: float) -> dict:
    """The PV owner's own use of its generation (绿电 自发自用) in a year."""
    return {
        "enterprise_id": pv,
        "year": year,
        "instrument": "自发自用",
        "quantity": quantity,
        "unit": "万kWh",
        "certificate_id": None,
        "source": "光伏",
    }


# -- the years before the baseline (2020, 2021), the boundary changes, the plan targets ------------------------------
#
# Drawn from streams of their own and appended after the rows of 2022 and 2023, which stay as they were.

#: The national producer price index (PPI, 工业生产者出厂价格指数, NBS), change on the year before [%]. The sample
#: deflates output and added value by it to 2020 prices: an assumption (not Qinghai's own index, nor the statistics
#: office's deflators of added value), see seeds/README.md.
PPI_CHANGE = {2021: 8.1, 2022: 4.1, 2023: -3.0}
PRICE_BASE = 2020


def price_index(year: int) -> float:
    """The price level of ``year`` against 2020 (2020 = 1), by ``PPI_CHANGE``."""
    level = 1.0
    for later in range(PRICE_BASE + 1, year + 1):
        level *= 1 + PPI_CHANGE[later] / 100
    return level


EARLIER = {
    "years": (2020, 2021),
    # an enterprise's activity against 2022: 2020 the COVID year, 2021 the recovery
    "activity": {2020: (0.80, 0.88), 2021: (0.88, 0.95)},
    "noise": (0.97, 1.03),  # each carrier about its enterprise's activity
    "real_output": (0.96, 1.04),  # output at constant prices about the activity
    "added_share": (0.95, 1.05),  # added value / output about 2022's
    # resources against 2023 (water, waste heat): scale of the whole, and the yearly rise of the shares reused
    "resources_scale": {2020: (0.74, 0.86), 2021: (0.82, 0.92), 2022: (0.88, 0.98)},
    "water_rise": (0.005, 0.015),
    "heat_rise": (0.02, 0.05),
}

#: The park's general industrial solid waste before 2023, same 13 enterprises: generated [t] and the utilisation
#: rate (NBS formula), rising to 2023's 96.8 %.
WASTE_EARLIER = {2020: (34000, 0.925), 2021: (38000, 0.940), 2022: (42000, 0.955)}

#: Boundary changes of the enterprises already in the sample: joined year, left year, change, note.
BOUNDARY = {
    "青海西川硅材料有限公司": (2022, None, "新建投产", "一期5万吨工业硅项目2022年投产"),
    # moderate emissions, no boilers, projects, waste or park-method flows: its rows of 2020-2022 stay (the account
    # restates the baseline with them)
    "青海宏达锂能材料有限公司": (2023, None, "划入", "2023年区划调整划入东川工业园区"),
}

#: An enterprise that left the park: in it 2020-2022, moved out in 2023 (whole-year energy, economics).
LEFT = {
    "name": "青海高原精细化工有限公司",
    "sub_park": "综合产业片区",
    "industry": "化工",
    "left_year": 2023,
    "change": "划出",
    "note": "2023年整体搬迁出园",
    "energy": {  # (carrier, unit): {year: quantity}; its own coal-fired boiler, small trucks
        ("电力", "万kWh"): {2020: 2640.0, 2021: 2910.0, 2022: 3050.0},
        ("烟煤", "吨"): {2020: 7820.0, 2021: 8390.0, 2022: 8650.0},
        ("天然气", "万Nm3"): {2020: 38.5, 2021: 44.2, 2022: 51.6},
        ("柴油", "吨"): {2020: 42.0, 2021: 47.5, 2022: 50.8},
    },
    # its own lime kiln (calcium chloride and hydroxide from lime): 石灰 on 工业产品, E_process at the IPCC default
    # (0.75 tCO2/t); the kiln's coal is in its 烟煤. The park's only process emissions before the silicon works
    "lime": {2020: 10500.0, 2021: 11800.0, 2022: 12300.0},  # t
    "output_value": {2020: 11800.0, 2021: 15600.0, 2022: 16900.0},  # 万元, current prices
    "added_share": 0.24,
}


def earlier_energy(
    rng: np.random.Generator,
    energy_table: pd.DataFrame,
    firms: pd.DataFrame,
    boiler_table: pd.DataFrame,
    boilers_2022: dict[tuple[str, str], float],
) -> tuple[pd.DataFrame, dict[tuple[str, int], float]]:
    """Whole-year energy of the original 42 enterprises in 2020 and 2021: each 2022 row times the enterprise's
    activity in the year (``EARLIER``) and a little noise per carrier; the retrofitted boilers' fuel before kept
    apart and burned as in 2022 (97-104 % of each boiler's annual figure). Returns the rows and the activities."""
    figures = _boiler_figures(boiler_table)
    burners: dict[tuple[str, str], list[float]] = {}
    for row, figure in zip(boiler_table.itertuples(), figures.itertuples(), strict=True):
        burners.setdefault((row.enterprise_id, row.fuel_before), []).append(figure.fuel_before_t)
    base = energy_table[energy_table["year"] == 2022]
    rows, activity = [], {}
    for year in EARLIER["years"]:
        for firm in firms.itertuples():
            level = rng.uniform(*EARLIER["activity"][year])
            activity[(firm.enterprise_id, year)] = level
            for row in base[base["enterprise_id"] == firm.enterprise_id].itertuples():
                key = (firm.enterprise_id, row.carrier)
                rest = max(row.quantity - boilers_2022.get(key, 0.0), 0.0)
                burned = sum(t * rng.uniform(*BOILERS["use_2022"]) for t in burners.get(key, []))
                rows.append(
                    {
                        "enterprise_id": firm.enterprise_id,
                        "year": year,
                        "month": None,
                        "carrier": row.carrier,
                        "quantity": round(rest * level * rng.uniform(*EARLIER["noise"]) + burned, 2),
                        "unit": row.unit,
                        "use": row.use,
                    }
                )
    return pd.DataFrame(rows), activity


def earlier_economics(
    rng: np.random.Generator, economics_table: pd.DataFrame, activity: dict[tuple[str, int], float]
) -> pd.DataFrame:
    """Output and added value of the original 42 enterprises in 2020 and 2021: at constant prices, 2022's times the
    enterprise's activity (and noise), at the year's prices by the PPI; added value at about 2022's share."""
    base = economics_table[economics_table["year"] == 2022]
    rows = []
    for year in EARLIER["years"]:
        for row in base.itertuples():
            real = row.output_value / price_index(2022) * activity[(row.enterprise_id, year)]
            output = round(real * rng.uniform(*EARLIER["real_output"]) * price_index(year), -1)
            share = row.added_value / row.output_value * rng.uniform(*EARLIER["added_share"])
            rows.append(
                {
                    "enterprise_id": row.enterprise_id,
                    "year": year,
                    "output_value": output,
                    "added_value": round(output * share, -1),
                }
            )
    return pd.DataFrame(rows)


def park910_earlier(
    firms: pd.DataFrame, park: dict[str, pd.DataFrame], energy_earlier: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The park method's tables for 2020 and 2021, built as 2022's: the heat company's sales to the same four
    neighbours (at most what each used in the year), the rooftop PV (own use and sent out), the LNG plant (its
    measured quality holds for every year). The industrial-silicon works started in 2022: nothing before."""
    ids = park["enterprises"].set_index("industry")["enterprise_id"]
    heat, lng = ids["热力供应"], ids["天然气液化"]
    by_name = firms.set_index("name")["enterprise_id"]
    used = energy_earlier[energy_earlier["carrier"] == "热力"].groupby(["enterprise_id", "year"])["quantity"].sum()
    energy_rows: list[dict] = []
    flows_rows, generation_rows, economics_rows, outputs_rows = [], [], [], []
    for year in EARLIER["years"]:
        flows, generation, economics = _heat_year(year, heat, by_name, used, energy_rows)
        flows_rows.extend(flows)
        generation_rows.append(generation)
        economics_rows.append(economics)
    pv = by_name[PV["enterprise"]]
    green = park["green_power"]
    own_use = {2022: float(green.loc[(green["enterprise_id"] == pv) & (green["year"] == 2022), "quantity"].iloc[0])}
    for year in sorted(EARLIER["years"], reverse=True):
        own_use[year] = round(own_use[year + 1] * PV["own_use_before"][year], 1)
    for year in EARLIER["years"]:
        generation, flow = _pv_year(year, pv, own_use[year])
        generation_rows.append(generation)
        flows_rows.append(flow)
    for year in EARLIER["years"]:
        output, economics = _lng_year(year, lng, energy_rows)
        outputs_rows.append(output)
        economics_rows.append(economics)
    return {
        "economics": pd.DataFrame(economics_rows),
        "energy": pd.DataFrame(energy_rows),
        "green_power": pd.DataFrame([_own_use_row(pv, year, own_use[year]) for year in EARLIER["years"]]),
        "generation": pd.DataFrame(generation_rows),
        "power_heat_flows": pd.DataFrame(flows_rows),
        "conversion_outputs": pd.DataFrame(outputs_rows),
    }


def earlier_solid_waste(rng: np.random.Generator, waste: pd.DataFrame) -> pd.DataFrame:
    """The 13 enterprises' solid waste in 2020-2022 (``WASTE_EARLIER``): each one's share about its 2023 share,
    utilisation rising to 2023's, the park rate exact."""
    producers = waste["enterprise_id"].tolist()
    frames = []
    for year, (total, rate) in WASTE_EARLIER.items():
        weights = waste["generated"].to_numpy() * rng.uniform(0.85, 1.15, len(producers))
        generated = np.floor(weights / weights.sum() * total).astype(int)
        generated[0] += total - generated.sum()
        prior = np.zeros(len(producers), dtype=int)
        rates = rng.uniform(rate - 0.04, min(rate + 0.03, 0.995), len(producers))
        frame = _waste_rows(producers, year, generated, _utilised(generated, prior, rates, round(rate * total)), prior)
        assert frame["generated"].sum() == total and _waste_rate(frame) == rate
        assert (frame["waste_type"].to_numpy() == waste["waste_type"].to_numpy()).all()
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def earlier_resources(rng: np.random.Generator, resources_table: pd.DataFrame) -> pd.DataFrame:
    """Water and waste heat of the same enterprises in 2020-2022: the wholes smaller (``EARLIER``), the shares
    reused a little lower each year back; the product energy level as in 2023."""
    rows = []
    for year, scale in EARLIER["resources_scale"].items():
        back = 2023 - year
        for row in resources_table.itertuples():
            factor = rng.uniform(*scale)
            total = round(row.water_total * factor, -2)
            water_share = max(row.water_reused / row.water_total - back * rng.uniform(*EARLIER["water_rise"]), 0.6)
            if pd.notna(row.waste_heat_recoverable):
                recoverable = round(row.waste_heat_recoverable * factor, -2)
                heat_share = row.waste_heat_utilized / row.waste_heat_recoverable
                utilized = round(recoverable * max(heat_share - back * rng.uniform(*EARLIER["heat_rise"]), 0.2), -2)
            else:
                recoverable = utilized = None
            rows.append(
                {
                    "enterprise_id": row.enterprise_id,
                    "year": year,
                    "waste_heat_recoverable": recoverable,
                    "waste_heat_utilized": utilized,
                    "water_total": total,
                    "water_reused": round(total * water_share, -2),
                    "product_energy_level": row.product_energy_level,
                }
            )
    return pd.DataFrame(rows)


def left_park(taken: set[str]) -> dict[str, pd.DataFrame]:
    """The enterprise that moved out in 2023 (``LEFT``): its row, whole-year energy, lime output and economics of
    2020-2022."""
    rng = np.random.default_rng(SEED + 16)
    code = uscc(rng)
    assert code not in taken
    enterprise = pd.DataFrame(
        [
            {
                "enterprise_id": code,
                "name": LEFT["name"],
                "sub_park": LEFT["sub_park"],
                "industry": LEFT["industry"],
                "above_designated_size": True,
                "left_year": LEFT["left_year"],
                "boundary_change": LEFT["change"],
                "boundary_note": LEFT["note"],
            }
        ]
    )
    energy_rows: list[dict] = []
    for (carrier, unit), by_year in LEFT["energy"].items():
        for year, quantity in by_year.items():
            _add_energy(energy_rows, code, year, carrier, quantity, unit, "终端消费")
    economics_rows = [
        {
            "enterprise_id": code,
            "year": year,
            "output_value": output,
            "added_value": round(output * LEFT["added_share"], -1),
        }
        for year, output in LEFT["output_value"].items()
    ]
    products = pd.DataFrame(
        [
            {"enterprise_id": code, "year": year, "product": "石灰", "output": output, "unit": "吨"}
            for year, output in LEFT["lime"].items()
        ]
    )
    return {
        "enterprises": enterprise,
        "energy": pd.DataFrame(energy_rows),
        "economics": pd.DataFrame(economics_rows),
        "products": products,
    }


def boundary(table: pd.DataFrame) -> pd.DataFrame:
    """The enterprises with their boundary changes (``BOUNDARY``; the one that left has its own)."""
    out = table.copy()
    for column in ("joined_year", "left_year", "boundary_change", "boundary_note"):
        if column not in out.columns:
            out[column] = None
    for name, (joined, left, change, note) in BOUNDARY.items():
        at = out.index[out["name"] == name]
        assert len(at) == 1, name
        out.loc[at, ["joined_year", "left_year", "boundary_change", "boundary_note"]] = [joined, left, change, note]
    for column in ("joined_year", "left_year"):
        out[column] = pd.array(out[column], dtype="Int64")
    return out


def at_constant_prices(table: pd.DataFrame) -> pd.DataFrame:
    """Output and added value at 2020 prices (``price_index``): 2020's are the current ones."""
    out = table.copy()
    for current, constant in (("output_value", "output_value_constant"), ("added_value", "added_value_constant")):
        index = out["year"].map(price_index)
        out[constant] = np.where(out["year"] == PRICE_BASE, out[current], (out[current] / index).round(1))
    return out


def build() -> carbon.Ledger:
    rng = np.random.default_rng(SEED)
    firms = enterprises(rng)
    energy_table, power = energy(rng, firms)
    economics_table = economics(rng, firms, power)
    green = green_power(rng, firms, power)
    park = park910(firms, energy_table, green)
    drawn_projects = projects(rng, firms)
    boiler_table = boilers(rng, firms)
    energy_table, biomass_factors, boilers_2022 = boiler_energy(energy_table, boiler_table)
    project_table, _ = consistent_projects(drawn_projects, pd.concat([energy_table, park["energy"]], ignore_index=True))
    energy_table, _ = savings_show_in_the_baseline(energy_table, project_table, boiler_table)
    waste = solid_waste(rng, firms)
    factories = green_factories(rng, firms)
    resources_table = resources(rng, firms)

    # the years before the baseline and the enterprise that left: streams of their own, rows after 2022's and 2023's
    early = np.random.default_rng(SEED + 2020)
    energy_early, activity = earlier_energy(early, energy_table, firms, boiler_table, boilers_2022)
    economics_early = earlier_economics(early, economics_table, activity)
    park_early = park910_earlier(firms, park, energy_early)
    later = np.random.default_rng(SEED + 2021)
    waste_early = earlier_solid_waste(later, waste)
    resources_early = earlier_resources(later, resources_table)
    left = left_park(set(firms["enterprise_id"]) | set(park["enterprises"]["enterprise_id"]))

    def join(*frames: pd.DataFrame) -> pd.DataFrame:
        return pd.concat(frames, ignore_index=True)

    return carbon.Ledger.from_frames(
        PARK,
        enterprises=boundary(join(firms, park["enterprises"], left["enterprises"])),
        economics=at_constant_prices(
            join(economics_table, park["economics"], economics_early, park_early["economics"], left["economics"])
        ),
        energy=join(energy_table, park["energy"], energy_early, park_early["energy"], left["energy"]),
        conversion_outputs=join(park["conversion_outputs"], park_early["conversion_outputs"]),
        generation=join(park["generation"], park_early["generation"]),
        power_heat_flows=join(park["power_heat_flows"], park_early["power_heat_flows"]),
        green_power=join(green, park["green_power"], park_early["green_power"]),
        products=join(park["products"], left["products"]),
        projects=project_table,
        boilers=boiler_table,
        solid_waste=join(waste, waste_early),
        green_factories=factories,
        resources=join(resources_table, resources_early),
        targets=targets(),
        custom_factors=join(custom_factors(firms), park["custom_factors"], biomass_factors),
    )


def main(out: Path = OUT) -> None:
    ledger = build()
    carbon.write_workbook(ledger, out, created=CREATED)
    print(f"wrote {out} ({ledger!r})")


if __name__ == "__main__":
    main()
