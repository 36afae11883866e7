"""Generate the sample park workbook ``seeds/dongchuan_2023.xlsx`` (deterministic).

A fictional but realistic park modelled on the Dongchuan Industrial Park of the Xining economic and
technological development zone (Qinghai), reporting year 2023, baseline 2022. Enterprise names and codes
are invented; the park-level figures the park has published are reproduced exactly:

- 36 boilers, 212.3 t/h of steam in all, retrofitted to low-carbon fuels in 2023;
- 13 enterprises generating 46,000 t of general industrial solid waste, utilised at 96.8 %;
- 6 national and 11 provincial green factories;
- 2024 targets: at least 20 energy-saving and carbon-reduction retrofit projects, 4 new green factories;
- the year's completed retrofit projects and 2024's planned ones, with responsible units and deadlines.

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
                            "use": "燃料",
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
                            "use": "燃料",
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
                        "use": "燃料",
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
        hours = rng.uniform(3000, 6500)
        heat = round(capacity * 0.7 * 3.6 * hours * rng.uniform(0.55, 0.8), 0)  # GJ: MW x h x 3.6 x load
        if k % 4 == 3:
            row["fuel_before_quantity"] = round(
                heat / 19.570 / 0.68 if row["fuel_before"] == "烟煤" else heat / 41.816 / 0.85, 1
            )
            row["fuel_before_unit"] = "吨"
        else:
            row["heat_output"] = heat
        if k % 3 == 0:
            row["efficiency_before"] = float(round(rng.uniform(62, 75)))
            row["efficiency_after"] = {"天然气": 92.0, "电力": 98.0, "生物质": 82.0, "拆除": None}[after[k]]
        rows.append(row)
    frame = pd.DataFrame(rows)
    assert round(frame["capacity"].sum(), 6) == 212.3
    return frame


WASTE_TYPES = ["冶炼废渣", "粉煤灰", "炉渣", "废石英", "脱硫石膏", "污泥", "废包装材料"]


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
    utilized = np.round(generated * rates).astype(int) + prior
    # spread the difference to the exact park total over the enterprises, within what each can utilise
    difference = int(target - utilized.sum())
    for k in np.argsort(-generated):
        room = (generated[k] + prior[k] - utilized[k]) if difference > 0 else -(utilized[k] - prior[k])
        step = min(difference, room) if difference > 0 else max(difference, room)
        utilized[k] += step
        difference -= step
        if difference == 0:
            break
    rows = []
    for k, enterprise in enumerate(producers):
        left = generated[k] - (utilized[k] - prior[k])
        disposed = int(round(left * 0.7))
        rows.append(
            {
                "enterprise_id": enterprise,
                "year": 2023,
                "waste_type": WASTE_TYPES[k % len(WASTE_TYPES)],
                "generated": float(generated[k]),
                "utilized": float(utilized[k]),
                "prior_stock_utilized": float(prior[k]),
                "disposed": float(disposed),
                "stored": float(left - disposed),
            }
        )
    frame = pd.DataFrame(rows)
    assert frame["generated"].sum() == 46000
    assert (
        carbon.waste_utilization_rate(
            frame["generated"].sum(), frame["utilized"].sum(), frame["prior_stock_utilized"].sum()
        )
        == 0.968
    )
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


def targets() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"indicator": "完成节能降碳改造项目数", "year": 2024, "value": 20.0, "unit": "个"},
            {"indicator": "新增绿色工厂数", "year": 2024, "value": 4.0, "unit": "家"},
        ]
    )


def build() -> carbon.Ledger:
    rng = np.random.default_rng(SEED)
    firms = enterprises(rng)
    energy_table, power = energy(rng, firms)
    return carbon.Ledger.from_frames(
        PARK,
        enterprises=firms,
        economics=economics(rng, firms, power),
        energy=energy_table,
        green_power=green_power(rng, firms, power),
        projects=projects(rng, firms),
        boilers=boilers(rng, firms),
        solid_waste=solid_waste(rng, firms),
        green_factories=green_factories(rng, firms),
        resources=resources(rng, firms),
        targets=targets(),
        custom_factors=custom_factors(firms),
    )


def main(out: Path = OUT) -> None:
    ledger = build()
    carbon.write_workbook(ledger, out, created=CREATED)
    print(f"wrote {out} ({ledger!r})")


if __name__ == "__main__":
    main()
