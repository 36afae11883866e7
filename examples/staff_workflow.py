"""The staff workflow: template -> fill -> validate -> ledger.

What park staff do by hand in Excel is done here by a script, so the example runs unattended. The same steps
from the command line:

    carbon template 园区碳账本模板.xlsx
    (fill it in Excel or WPS)
    carbon validate 园区碳账本.xlsx --annotate 标注.xlsx
    carbon ledger 园区碳账本.xlsx -o 碳账本2023.xlsx
"""

import datetime as dt

import openpyxl

import carbon
from carbon.schema import table

E1, E2 = "91350100M000100Y43", "914403001922038216"  # codes with valid GB 32100-2015 check characters

# 1. the blank template
carbon.write_template("园区碳账本模板.xlsx")

# 2. fill it by header, as staff would (one mistake on purpose: natural gas in 吨)
book = openpyxl.load_workbook("园区碳账本模板.xlsx")
park = book[table("park").sheet]
facts = {
    "name": "示例园区",
    "province": "青海",
    "reporting_year": 2023,
    "baseline_year": 2023,
    "sub_parks": "东区、西区",
}
for row in park.iter_rows(min_row=2):
    for column in table("park").columns:
        if row[0].value == column.header:
            row[1].value = facts[column.name]


def fill(name, records):
    sheet = book[table(name).sheet]
    position = {cell.value: cell.column for cell in sheet[1]}
    for r, record in enumerate(records, start=2):
        for column, value in record.items():
            sheet.cell(r, position[table(name).column(column).header]).value = value


fill(
    "enterprises",
    [
        {
            "enterprise_id": E1,
            "name": "东区硅材料有限公司",
            "sub_park": "东区",
            "industry": "多晶硅",
            "above_designated_size": "是",
        },
        {
            "enterprise_id": E2,
            "name": "西区食品有限公司",
            "sub_park": "西区",
            "industry": "食品",
            "above_designated_size": "是",
        },
    ],
)
fill(
    "economics",
    [
        {"enterprise_id": E1, "year": 2023, "output_value": 180000, "added_value": 42000},
        {"enterprise_id": E2, "year": 2023, "output_value": 26000, "added_value": 7800},
    ],
)
fill(
    "energy",
    [
        {"enterprise_id": E1, "year": 2023, "carrier": "电力", "quantity": 52000, "unit": "万kWh", "use": "燃料"},
        {"enterprise_id": E1, "year": 2023, "carrier": "天然气", "quantity": 320, "unit": "吨", "use": "燃料"},
        {"enterprise_id": E2, "year": 2023, "carrier": "电力", "quantity": 900, "unit": "万kWh", "use": "燃料"},
        {"enterprise_id": E2, "year": 2023, "carrier": "热力", "quantity": 15000, "unit": "GJ", "use": "燃料"},
    ],
)
fill(
    "green_power",
    [
        {
            "enterprise_id": E1,
            "year": 2023,
            "instrument": "绿电交易",
            "quantity": 200000,
            "unit": "MWh",
            "certificate_id": "QH-2023-001",
            "source": "光伏",
        }
    ],
)
fill(
    "boilers",
    [
        {
            "boiler_id": "GL-1",
            "enterprise_id": E2,
            "capacity": 4,
            "fuel_before": "烟煤",
            "fuel_after": "电力",
            "retrofit_date": dt.datetime(2023, 5, 1),
            "heat_output": 30000,
        }
    ],
)
book.save("园区碳账本.xlsx")

# 3. validate: the mistake is found, with its cell, in Chinese and English
report = carbon.validate_workbook("园区碳账本.xlsx")
for problem in report.errors:
    print(problem)
assert [p.code for p in report.errors] == ["unit_carrier"]

# staff fix the cell (natural gas in 万Nm3) and validate again
book = openpyxl.load_workbook("园区碳账本.xlsx")
energy = book[table("energy").sheet]
energy["F3"], energy["E3"] = "万Nm3", 45
book.save("园区碳账本.xlsx")
report = carbon.validate_workbook("园区碳账本.xlsx")
print(report.summary())

# 4. the ledger
ledger = carbon.read_workbook("园区碳账本.xlsx")
account = ledger.account()
path = account.to_excel("碳账本2023.xlsx")
s = account.summary
print(
    f"{ledger.park['name']} {account.year}: {s['total_tco2']:,.0f} tCO2 (market-based), {s['energy_tce']:,.0f} tce, "
    f"{s['carbon_per_energy_tco2_per_tce']:.3f} tCO2/tce; ledger written to {path}"
)
