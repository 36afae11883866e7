"""The tables of a park ledger: one description that drives everything else.

Each :class:`Table` lists its :class:`Column` s with the English glossary name, the Chinese label, the kind
of value, the fixed unit (if any), the allowed choices, and a help text with an example. The template, the
instructions sheet (填表说明), the header matching of the reader, the pydantic row models and the README
glossary are all built from this module, so a column is described in exactly one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from carbon import units
from carbon.names import products

__all__ = ["CHOICES", "Column", "TABLES", "Table", "Choice", "glossary_markdown", "table", "header_key"]


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column: its id, Chinese label and other accepted spellings."""

    id: str
    zh: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a ledger table.

    ``kind`` is one of: ``text``, ``enterprise`` (a reference to an enterprise id), ``enterprise_id`` (the
    id itself), ``year``, ``month``, ``number``, ``percent`` (typed as percent, stored as a fraction),
    ``date``, ``choice``, ``carrier``, ``unit``, ``bool``, ``list`` (comma-separated text).
    """

    name: str
    zh: str
    kind: str
    required: bool = True
    unit: str | None = None
    choices: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    blank_means_zero: bool = False
    help_zh: str = ""
    help_en: str = ""
    example: str = ""
    width: int = 14

    @property
    def header(self) -> str:
        """The header text of the template: Chinese label, English name and fixed unit."""
        text = f"{self.zh} {self.name}"
        return f"{text} [{self.unit}]" if self.unit else text


@dataclass(frozen=True)
class Table:
    """One table (one sheet) of the ledger."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = False
    help_zh: str = ""
    help_en: str = ""
    key_value: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def sheet(self) -> str:
        """The bilingual sheet name of the template (at most 31 characters, as Excel requires)."""
        return f"{self.zh} {self.name}"

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def header_key(text: object) -> str:
    """The form in which header and sheet names are compared: NFKC, case-folded, without blanks,
    underscores, hyphens, and without a trailing unit in brackets (``数量 quantity [吨]`` -> ``数量quantity``)."""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    value = re.sub(r"[\[(（【].*?[\])）】]", "", value)
    return re.sub(r"[\s_\-:：*]+", "", value)


def _products() -> tuple[Choice, ...]:
    """The industrial products of 附件4 三（一）, with route or kind where it names one (carbon/data/products.csv)."""
    return tuple(
        Choice(row.id, row.name_zh, (row.name_en, *filter(None, str(row.aliases).split("|"))))
        for row in products().fillna("").itertuples(index=False)
    )


CHOICES: dict[str, tuple[Choice, ...]] = {
    # the activity types of 发改环资〔2025〕910号 附件4 二（一）2 and 二（二）2
    "use": (
        Choice("fuel", "终端消费", ("燃料", "燃烧", "能源", "终端", "终端燃烧", "combustion", "energy", "end use")),
        Choice("power", "火力发电", ("发电", "thermal power", "power generation")),
        Choice("heat_supply", "供热", ("集中供热", "heat supply")),
        Choice("refining", "炼油及煤制油", ("炼油", "煤制油", "refining", "coal to liquids")),
        Choice("gas_making", "制气", ("煤制气", "gas making")),
        Choice("recovered", "回收能", ("余能", "回收利用", "recovered energy")),
        Choice(
            "feedstock",
            "原料",
            ("原材料", "用作原料", "材料", "非能源", "material", "non-energy", "reductant", "还原剂"),
        ),
        Choice("conversion", "加工转换投入", ("加工转换", "转换投入", "conversion input", "conversion")),
        Choice("bunkers", "国际航空航海", ("国际航空", "国际航海", "国际燃料舱", "international bunkers", "bunkers")),
    ),
    "conversion_process": (
        Choice("refining", "炼油", ("石油炼制", "oil refining")),
        Choice("coal_to_liquids", "煤制油", ("煤液化", "coal to liquids")),
        Choice("gas_making", "制气", ("煤制气", "gas making")),
        Choice("coking", "炼焦", ("焦化", "coking")),
        Choice("other", "其他", ("其它",)),
    ),
    "origin": (
        Choice("fossil", "化石能源", ("化石", "火电", "燃煤", "燃气", "fossil")),
        Choice(
            "non_fossil",
            "非化石能源",
            ("非化石", "可再生", "清洁", "光伏", "风电", "水电", "生物质", "non-fossil", "renewable"),
        ),
    ),
    "instrument": (
        Choice("trade", "绿电交易", ("绿色电力交易", "green power trade", "green-power trade", "ppa")),
        Choice("certificate", "绿证", ("绿色电力证书", "gec", "green certificate")),
        Choice("onsite", "自发自用", ("自发自用光伏", "on-site", "on site", "self-generated")),
        Choice("direct_line", "直连", ("绿电直连", "direct line", "direct")),
    ),
    "power_source": (
        Choice("pv", "光伏", ("太阳能", "solar", "photovoltaic")),
        Choice("wind", "风电", ("风能", "wind power")),
        Choice("hydro", "水电", ("水力", "hydropower")),
        Choice("biomass", "生物质", ("生物质发电",)),
        Choice("other", "其他", ("其它",)),
    ),
    "status": (
        Choice("planned", "计划", ("拟实施", "未开工", "规划")),
        Choice("under_construction", "在建", ("实施中", "建设中", "under construction", "ongoing")),
        Choice("completed", "已完成", ("完成", "竣工", "已竣工", "done")),
    ),
    "project_category": (
        Choice("waste_heat", "余热余压利用", ("余热回收", "余热利用", "waste heat recovery")),
        Choice("motor_system", "电机系统节能", ("电机", "变频", "motors")),
        Choice("process", "工艺节能改造", ("工艺改进", "process improvement")),
        Choice("boiler_furnace", "锅炉窑炉改造", ("锅炉改造", "窑炉改造", "boilers and furnaces")),
        Choice("renewables", "可再生能源利用", ("光伏", "分布式光伏", "renewable energy")),
        Choice("digital", "数字化能碳管理", ("数字化", "能碳管理", "digital energy management")),
        Choice("building", "建筑节能", ("buildings",)),
        Choice("other", "其他", ("其它",)),
    ),
    "fuel_after": (
        Choice("natural_gas", "天然气", ("燃气", "natural gas", "gas")),
        Choice("electricity", "电力", ("电", "电锅炉", "electric")),
        Choice("biomass", "生物质", ("生物质成型燃料",)),
        Choice("removed", "拆除", ("关停", "淘汰", "拆除并网供热", "removed")),
    ),
    "level": (
        Choice("national", "国家级", ("国家", "national level")),
        Choice("provincial", "省级", ("省", "provincial level")),
        Choice("municipal", "市级", ("市", "municipal level")),
    ),
    "product_energy_level": (
        Choice("level_1", "一级", ("1级", "达到一级", "level 1")),
        Choice("level_2", "二级", ("2级", "达到二级", "level 2")),
        Choice("not_met", "未达标", ("未达到二级", "not met")),
        Choice("not_applicable", "不适用", ("无对应标准", "n/a", "na", "not applicable")),
    ),
    "id_type": (
        Choice("uscc", "统一社会信用代码", ("信用代码", "社会信用代码", "credit code")),
        Choice("internal", "内部编码", ("内部代码", "internal code")),
    ),
    "factor_parameter": (
        Choice("ncv", "低位发热量", ("热值", "net calorific value")),
        Choice("carbon_content", "单位热值含碳量", ("含碳量", "carbon content")),
        Choice("oxidation_rate", "碳氧化率", ("氧化率", "oxidation rate")),
        Choice("electricity_co2", "供电排放因子", ("电力排放因子", "supplier electricity factor")),
    ),
    "product": _products(),
    "indicator": (
        Choice("completed_retrofits", "完成节能降碳改造项目数", ("节能降碳改造项目", "retrofit projects")),
        Choice("new_green_factories", "新增绿色工厂数", ("新增绿色工厂", "green factories")),
        Choice("carbon_per_energy", "单位能耗碳排放", ("核心指标", "tco2 per tce")),
        Choice("clean_energy_share", "清洁能源消费占比", ("清洁能源占比",)),
        Choice("solid_waste_utilization", "工业固体废物综合利用率", ("固废综合利用率",)),
        Choice("waste_heat_utilization", "余热余冷余压综合利用率", ("余热利用率",)),
        Choice("water_reuse", "工业用水重复利用率", ("水重复利用率",)),
        Choice("total_emissions", "碳排放总量", ("排放总量",)),
        Choice("energy_consumption", "综合能源消费量", ("综合能耗",)),
        Choice(
            "energy_intensity_reduction",
            "单位工业增加值能耗降低率",
            ("单位增加值能耗降低率", "单位增加值能耗下降率", "能耗强度降低率", "energy intensity reduction"),
        ),
        Choice(
            "carbon_intensity_reduction",
            "单位工业增加值二氧化碳排放降低率",
            (
                "单位增加值二氧化碳排放降低率",
                "单位增加值碳排放下降率",
                "碳排放强度降低率",
                "二氧化碳排放强度降低率",
                "carbon intensity reduction",
            ),
        ),
    ),
    # how an enterprise entered or left the park's boundary (GHG Protocol Corporate Standard, ch. 5: a base year is
    # recalculated for structural changes, not for organic growth or decline)
    "boundary_change": (
        Choice("moved_in", "划入", ("迁入", "搬迁入园", "区划调整划入", "并入", "transferred in", "moved in")),
        Choice("new_build", "新建投产", ("新建", "新投产", "新设", "new build", "new")),
        Choice("moved_out", "划出", ("迁出", "搬迁出园", "区划调整划出", "transferred out", "moved out")),
        Choice("closed", "关停", ("停产", "注销", "关闭", "淘汰", "closed")),
    ),
}

#: The unit each target indicator is stated in (blank unit cells take it; another unit is an error).
INDICATOR_UNITS = {
    "completed_retrofits": "个",
    "new_green_factories": "家",
    "carbon_per_energy": "tCO2/tce",
    "clean_energy_share": "%",
    "solid_waste_utilization": "%",
    "waste_heat_utilization": "%",
    "water_reuse": "%",
    "total_emissions": "tCO2",
    "energy_consumption": "tce",
    "energy_intensity_reduction": "%",
    "carbon_intensity_reduction": "%",
}

#: Units of green-power quantities that count certificates (1 certificate = 1 MWh): see carbon.units.
CERTIFICATE_UNITS = units.CERTIFICATE_UNITS

_E = "enterprise_id"
#: A fictional code with a valid GB 32100-2015 check character, used as the example in the template.
_EXAMPLE_ID = "91630100MA75200008"


def _enterprise(help_zh: str = "企业的统一社会信用代码（须已在「企业」表中）", width: int = 26) -> Column:
    return Column(
        _E,
        "统一社会信用代码",
        "enterprise",
        help_zh=help_zh,
        help_en="the enterprise's id, as listed on the enterprises sheet",
        example=_EXAMPLE_ID,
        width=width,
    )


def _year(zh: str = "年度") -> Column:
    return Column("year", zh, "year", help_zh="四位年份", help_en="four-digit year", example="2023", width=8)


def _month() -> Column:
    return Column(
        "month",
        "月份",
        "month",
        required=False,
        help_zh="1-12；空白表示全年合计",
        help_en="1-12; blank means the whole year",
        example="1",
        width=8,
    )


TABLES: tuple[Table, ...] = (
    Table(
        "park",
        "园区",
        (
            Column(
                "name", "园区名称", "text", help_zh="园区全称", help_en="full name of the park", example="东川工业园区"
            ),
            Column("province", "所在省份", "text", help_zh="省级行政区", help_en="province", example="青海"),
            Column(
                "reporting_year",
                "报告年度",
                "year",
                help_zh="本台账的年度",
                help_en="the year this ledger reports",
                example="2023",
            ),
            Column(
                "baseline_year",
                "基准年",
                "year",
                help_zh="对比基准年",
                help_en="baseline year for trends",
                example="2022",
            ),
            Column(
                "sub_parks",
                "片区",
                "list",
                required=False,
                help_zh="园区内各片区名称，用顿号或逗号分隔",
                help_en="names of the sub-parks, separated by commas",
                example="光伏材料片区、新材料片区",
            ),
        ),
        required=True,
        key_value=True,
        help_zh="园区基本信息：每行一项，A 列为项目，B 列为值",
        help_en="park facts: one item per row, item in column A, value in column B",
    ),
    Table(
        "enterprises",
        "企业",
        (
            Column(
                _E,
                "统一社会信用代码",
                "enterprise_id",
                help_zh="18 位统一社会信用代码（按 GB 32100-2015 校验）；无代码时填内部编码并在「代码类型」选内部编码",
                help_en="18-character unified social credit code (check digit per GB 32100-2015); an internal code only when marked as internal",
                example=_EXAMPLE_ID,
                width=26,
            ),
            Column(
                "id_type",
                "代码类型",
                "choice",
                required=False,
                choices="id_type",
                help_zh="空白即统一社会信用代码",
                help_en="blank means unified social credit code",
                example="统一社会信用代码",
            ),
            Column(
                "name",
                "企业名称",
                "text",
                help_zh="企业全称",
                help_en="registered name",
                example="青海某新材料有限公司",
                width=30,
            ),
            Column(
                "sub_park",
                "所属片区",
                "text",
                required=False,
                help_zh="须为「园区」表中列出的片区（园区表未列片区时不核对）",
                help_en="one of the park's sub-parks (not checked when the park lists none)",
                example="新材料片区",
            ),
            Column("industry", "行业", "text", help_zh="主营行业", help_en="main industry", example="多晶硅"),
            Column(
                "above_designated_size",
                "规上企业",
                "bool",
                help_zh="是 / 否",
                help_en="above designated size: yes / no",
                example="是",
                width=10,
            ),
            Column(
                "joined_year",
                "入园年份",
                "year",
                required=False,
                help_zh="首个计入园区边界的年度；空白即各年均在园区内",
                help_en="first year inside the park's boundary; blank: inside in every year",
                width=10,
            ),
            Column(
                "left_year",
                "退园年份",
                "year",
                required=False,
                help_zh="首个不再计入园区边界的年度；空白即仍在园区内",
                help_en="first year no longer inside the park's boundary; blank: still inside",
                width=10,
            ),
            Column(
                "boundary_change",
                "边界变动",
                "choice",
                required=False,
                choices="boundary_change",
                help_zh="划入、划出（重述基准年）或新建投产、关停（不重述）；填入园或退园年份时必填",
                help_en="moved in or out (the baseline is restated) or new build or closed (not restated); "
                "required with a joined or left year",
                width=12,
            ),
            Column(
                "boundary_note",
                "变动说明",
                "text",
                required=False,
                help_zh="变动原因及依据，如区划调整文件",
                help_en="reason for the change and its evidence",
                width=24,
            ),
        ),
        key=(_E,),
        required=True,
        help_zh="园区内企业名录",
        help_en="the enterprises of the park",
    ),
    Table(
        "economics",
        "经济",
        (
            _enterprise(),
            _year(),
            Column(
                "output_value",
                "工业总产值",
                "number",
                unit="万元",
                minimum=0,
                help_zh="当年价",
                help_en="gross industrial output value, current prices",
                example="125000",
            ),
            Column(
                "added_value",
                "工业增加值",
                "number",
                unit="万元",
                required=False,
                help_zh="当年价",
                help_en="industrial added value, current prices",
                example="31000",
            ),
            Column(
                "output_value_constant",
                "工业总产值（可比价）",
                "number",
                unit="万元",
                minimum=0,
                required=False,
                help_zh="按同一固定年份的价格计（如 2020 年价），各年一致；空白则强度降低率按当年价计算并注明",
                help_en="at the prices of one fixed year (2020 prices, say), the same for every year; blank: intensity reductions at current prices, flagged",
            ),
            Column(
                "added_value_constant",
                "工业增加值（可比价）",
                "number",
                unit="万元",
                required=False,
                help_zh="按同一固定年份的价格计（如 2020 年价），各年一致；空白则强度降低率按当年价计算并注明",
                help_en="at the prices of one fixed year (2020 prices, say), the same for every year; blank: intensity reductions at current prices, flagged",
            ),
        ),
        key=(_E, "year"),
        help_zh="企业年度产值与增加值",
        help_en="output and added value per enterprise and year",
    ),
    Table(
        "energy",
        "能源消费",
        (
            _enterprise(),
            _year(),
            _month(),
            Column(
                "carrier",
                "能源品种",
                "carrier",
                help_zh="如 原煤、天然气、电力、热力",
                help_en="energy carrier",
                example="天然气",
            ),
            Column(
                "quantity",
                "消费量",
                "number",
                minimum=0,
                help_zh="实物量",
                help_en="physical quantity consumed",
                example="12.5",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="如 吨、万Nm3、万kWh、GJ",
                help_en="unit of the quantity",
                example="万Nm3",
                width=10,
            ),
            Column(
                "use",
                "用途",
                "choice",
                required=False,
                choices="use",
                help_zh="能源活动类型（910号 附件4）：终端消费 / 火力发电 / 供热 / 炼油及煤制油、制气（炼厂、制气厂自身燃烧的燃料）/ 回收能 / 原料（不燃烧，含还原剂）/ 加工转换投入（被加工成其他能源的原油、原料煤、天然气）/ 国际航空航海；空白视为终端消费",
                help_en="activity type (910号 附件4): end use, thermal power, heat supply, refining and gas making (fuel the refinery or gas plant burns), recovered energy, feedstock (not burned; reductants too), conversion input (crude, coal or gas turned into other energy), international bunkers; blank means end use",
                example="终端消费",
                width=12,
            ),
        ),
        key=(_E, "year", "month", "carrier", "use"),
        help_zh="分企业、分品种的能源消费。电力、热力填企业受入的全部电量、热量：电网购电、直连绿电、园区外热源，以及园区内其他企业供应的部分（后者另在「电力热力流向」表登记）；企业自发自用的电量不填此表（光伏自用填「绿电」表的自发自用）",
        help_en="energy use per enterprise and carrier. Electricity and heat: everything the enterprise received (grid, direct green lines, outside heat, and supplies from other park enterprises, which also go on power_heat_flows); its own generation used on site is not entered here (own PV goes on green_power as on-site)",
    ),
    Table(
        "conversion_outputs",
        "加工转换产出",
        (
            _enterprise(),
            _year(),
            Column(
                "process",
                "加工转换类型",
                "choice",
                choices="conversion_process",
                help_zh="炼油 / 煤制油 / 制气 / 炼焦 / 其他",
                help_en="refining, coal to liquids, gas making, coking, other",
                example="炼焦",
                width=12,
            ),
            Column(
                "carrier",
                "产出能源品种",
                "carrier",
                help_zh="含碳二次能源，如 焦炭、焦炉煤气、汽油",
                help_en="carbon-bearing secondary energy produced",
                example="焦炉煤气",
            ),
            Column(
                "quantity",
                "产出量",
                "number",
                minimum=0,
                help_zh="实物量",
                help_en="physical quantity produced",
                example="3500",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="如 吨、万Nm3",
                help_en="unit of the quantity",
                example="万Nm3",
                width=10,
            ),
        ),
        key=(_E, "year", "process", "carrier"),
        help_zh="能源加工转换的产出（投入填在「能源消费」表，用途选「加工转换投入」）；按碳平衡计算排放（910号 附件4 二（二）2）",
        help_en="outputs of energy conversion (its inputs go on the energy sheet with use 'conversion input'); emissions by carbon balance (910号 附件4)",
    ),
    Table(
        "generation",
        "园区内发电供热",
        (
            _enterprise("发电或供热企业的统一社会信用代码（须已在「企业」表中）"),
            _year(),
            Column(
                "carrier",
                "能源品种",
                "carrier",
                help_zh="电力 或 热力",
                help_en="electricity or heat",
                example="电力",
                width=10,
            ),
            Column(
                "origin",
                "能源类别",
                "choice",
                choices="origin",
                help_zh="化石能源 / 非化石能源（光伏、风电、生物质 …）",
                help_en="fossil or non-fossil",
                example="非化石能源",
                width=12,
            ),
            Column(
                "quantity",
                "发电量或供热量",
                "number",
                minimum=0,
                help_zh="全年发电量或供热量（含自用）",
                help_en="power or heat generated in the year, own use included",
                example="8000",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="如 MWh、万kWh、GJ",
                help_en="unit of the quantity",
                example="MWh",
                width=10,
            ),
        ),
        key=(_E, "year", "carrier", "origin"),
        help_zh="园区企业的发电量与供热量（向其他企业供应或送出园区的企业必填）",
        help_en="power and heat generated by park enterprises (required for every enterprise that supplies others or sends out)",
    ),
    Table(
        "power_heat_flows",
        "电力热力流向",
        (
            Column(
                "supplier_id",
                "供方",
                "enterprise",
                required=False,
                help_zh="供电或供热的园区企业信用代码；园区外的供方留空",
                help_en="the park enterprise that supplied; blank: from outside the park",
                example=_EXAMPLE_ID,
                width=26,
            ),
            Column(
                "receiver_id",
                "受方",
                "enterprise",
                required=False,
                help_zh="接收的园区企业信用代码；送出园区留空",
                help_en="the park enterprise that received; blank: sent out of the park",
                example="（留空 = 送出园区）",
                width=26,
            ),
            _year(),
            _month(),
            Column(
                "carrier",
                "能源品种",
                "carrier",
                help_zh="电力 或 热力",
                help_en="electricity or heat",
                example="电力",
                width=10,
            ),
            Column(
                "origin",
                "能源类别",
                "choice",
                choices="origin",
                help_zh="化石能源 / 非化石能源",
                help_en="fossil or non-fossil",
                example="非化石能源",
                width=12,
            ),
            Column(
                "quantity",
                "数量",
                "number",
                minimum=0,
                help_zh="供出、送出或受入的电量或热量",
                help_en="power or heat delivered",
                example="1200",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="如 MWh、万kWh、GJ",
                help_en="unit of the quantity",
                example="MWh",
                width=10,
            ),
        ),
        key=("supplier_id", "receiver_id", "year", "month", "carrier", "origin"),
        help_zh="园区企业之间供应（园区内部，不计入净受入）、送出园区、以及园区外受入的非化石热力；从园区外电网购电无须填写",
        help_en="power and heat between park enterprises (inside the boundary, not net inflow), sent out of the park, and non-fossil heat received from outside; grid power bought from outside needs no row",
    ),
    Table(
        "green_power",
        "绿电",
        (
            _enterprise(),
            _year(),
            _month(),
            Column(
                "instrument",
                "绿电方式",
                "choice",
                choices="instrument",
                help_zh="绿电交易 / 绿证 / 自发自用 / 直连（园区外非化石电源直接供应，其电量也计入「能源消费」的电力）",
                help_en="green-power trade, certificate, on-site, direct line",
                example="绿电交易",
            ),
            Column(
                "quantity",
                "电量或证书数",
                "number",
                minimum=0,
                help_zh="电量，或绿证张数",
                help_en="electricity, or number of certificates",
                example="5000",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="MWh、kWh、万kWh 或 张（1 张绿证 = 1 MWh）",
                help_en="MWh, kWh, 万kWh or 张 (1 certificate = 1 MWh)",
                example="MWh",
                width=10,
            ),
            Column(
                "certificate_id",
                "证书或合同编号",
                "text",
                required=False,
                help_zh="绿证编号或交易合同编号（绿证、绿电交易必填）",
                help_en="certificate or contract id (required for certificates and trades)",
                example="GEC-2023-000123",
                width=20,
            ),
            Column(
                "generation_year",
                "电量生产年份",
                "year",
                required=False,
                help_zh="绿证对应电量的生产年份（绿证有效期 2 年，自电量生产月起算）；空白不核对",
                help_en="year the certificate's power was generated (valid 2 years from that month); blank: not checked",
                example="2023",
                width=10,
            ),
            Column(
                "source",
                "电源类型",
                "choice",
                required=False,
                choices="power_source",
                help_zh="光伏、风电、水电 …",
                help_en="generation source",
                example="光伏",
                width=10,
            ),
        ),
        key=(_E, "year", "month", "instrument", "certificate_id"),
        help_zh="绿电交易、绿证、自发自用与直连绿电",
        help_en="green power by instrument",
    ),
    Table(
        "products",
        "工业产品",
        (
            _enterprise(),
            _year(),
            Column(
                "product",
                "产品",
                "choice",
                choices="product",
                help_zh="910号 附件4 所列产品（水泥熟料、石灰、合成氨、甲醇、电解铝、粗钢、铁合金、工业硅、电石）或 其他工业产品",
                help_en="a product of 910号 附件4 or 'other'",
                example="工业硅",
                width=20,
            ),
            Column(
                "product_name",
                "产品名称",
                "text",
                required=False,
                help_zh="选「其他工业产品」时必填",
                help_en="required for 'other'",
                example="碳素制品",
                width=16,
            ),
            Column(
                "output",
                "产量",
                "number",
                minimum=0,
                help_zh="合格品产量（商品量 + 自用量）",
                help_en="qualified output, sold plus own use",
                example="100000",
            ),
            Column(
                "unit",
                "计量单位",
                "unit",
                help_zh="吨 或 万吨",
                help_en="t or 万吨",
                example="吨",
                width=10,
            ),
            Column(
                "process_factor",
                "企业过程排放因子",
                "number",
                unit="tCO2/t",
                required=False,
                minimum=0,
                help_zh="企业测算的分产品排放因子；填写时须注明依据",
                help_en="the enterprise's own factor per t of product; needs its evidence",
            ),
            Column(
                "carbon_in",
                "碳输入量",
                "number",
                unit="tC",
                required=False,
                minimum=0,
                help_zh="质量平衡法：原料、还原剂等带入的碳",
                help_en="mass balance: carbon in (raw materials, reductants)",
            ),
            Column(
                "carbon_out",
                "碳输出量",
                "number",
                unit="tC",
                required=False,
                minimum=0,
                help_zh="质量平衡法：产品、副产品、废物带出的碳",
                help_en="mass balance: carbon out (products, by-products, waste)",
            ),
            Column(
                "evidence",
                "依据",
                "text",
                required=False,
                help_zh="企业因子或质量平衡的依据（核查报告、检测报告编号）",
                help_en="evidence for the own factor or the mass balance",
                width=22,
            ),
        ),
        key=(_E, "year", "product", "product_name"),
        help_zh="工业产品产量，计算工业过程排放（910号 附件4 三）；无缺省因子的产品须填企业因子或质量平衡",
        help_en="industrial output for process CO2 (910号 附件4 三); a product without a default needs the enterprise's factor or a mass balance",
    ),
    Table(
        "projects",
        "节能降碳项目",
        (
            Column(
                "project_id",
                "项目编号",
                "text",
                help_zh="园区内唯一",
                help_en="unique within the park",
                example="JN-2023-01",
            ),
            _enterprise(),
            Column(
                "name",
                "项目名称",
                "text",
                help_zh="",
                help_en="project name",
                example="多晶硅还原尾气回收综合节能改造",
                width=30,
            ),
            Column(
                "category",
                "项目类别",
                "choice",
                choices="project_category",
                help_zh="余热余压利用、电机系统节能 …",
                help_en="category",
                example="余热余压利用",
            ),
            Column(
                "status",
                "进展",
                "choice",
                choices="status",
                help_zh="计划 / 在建 / 已完成",
                help_en="planned, under construction, completed",
                example="已完成",
                width=10,
            ),
            Column(
                "responsible_unit",
                "责任单位",
                "text",
                help_zh="",
                help_en="responsible unit",
                example="园区经济发展局",
                width=18,
            ),
            Column(
                "responsible_person",
                "责任人",
                "text",
                help_zh="",
                help_en="responsible person",
                example="张某",
                width=10,
            ),
            Column(
                "planned_completion",
                "计划完成日期",
                "date",
                help_zh="如 2024-06-30 或 2024年6月30日",
                help_en="planned completion date",
                example="2024-06-30",
                width=12,
            ),
            Column(
                "completion_date",
                "实际完成日期",
                "date",
                required=False,
                help_zh="已完成项目必填",
                help_en="required for completed projects",
                example="2023-10-15",
                width=12,
            ),
            Column(
                "investment",
                "投资额",
                "number",
                unit="万元",
                required=False,
                minimum=0,
                help_zh="",
                help_en="investment",
                example="1200",
            ),
            Column(
                "saving_quantity",
                "年节能量",
                "number",
                required=False,
                minimum=0,
                help_zh="设计或核定的年节约实物量",
                help_en="annual saving as a physical quantity",
                example="350",
            ),
            Column(
                "saving_unit",
                "节能量单位",
                "unit",
                required=False,
                help_zh="如 万kWh、tce、万Nm3",
                help_en="unit of the saving",
                example="万kWh",
                width=10,
            ),
            Column(
                "saving_carrier",
                "节约能源品种",
                "carrier",
                required=False,
                help_zh="如 电力、天然气；节能量以 tce 计时也须填所节约的品种（与该企业的用量核对，并按其折算减排量）",
                help_en="carrier saved; needed also for a saving in tce (checked against the enterprise's use of it, and its reduction valued by it)",
                example="电力",
                width=10,
            ),
            Column(
                "declared_reduction",
                "申报年减排量",
                "number",
                unit="tCO2",
                required=False,
                minimum=0,
                help_zh="企业申报值，可空",
                help_en="annual reduction as declared, optional",
                example="600",
            ),
        ),
        key=("project_id",),
        help_zh="节能降碳技术改造项目台账（含计划、在建、已完成）",
        help_en="energy-saving and carbon-reduction retrofit projects",
    ),
    Table(
        "boilers",
        "锅炉改造",
        (
            Column(
                "boiler_id",
                "锅炉编号",
                "text",
                help_zh="园区内唯一",
                help_en="unique within the park",
                example="GL-001",
            ),
            _enterprise(),
            Column(
                "capacity",
                "额定蒸发量",
                "number",
                unit="蒸吨",
                minimum=0,
                help_zh="t/h（1 蒸吨 ≈ 0.7 MW）",
                help_en="rated capacity in t/h of steam (1 t/h = 0.7 MW by convention)",
                example="10",
            ),
            Column(
                "fuel_before",
                "改造前燃料",
                "carrier",
                help_zh="如 原煤、烟煤",
                help_en="fuel before the retrofit",
                example="原煤",
            ),
            Column(
                "fuel_after",
                "改造后方式",
                "choice",
                choices="fuel_after",
                help_zh="天然气 / 电力 / 生物质 / 拆除（改用外购热力）",
                help_en="natural gas, electricity, biomass, or removed (replaced by purchased heat)",
                example="天然气",
            ),
            Column(
                "retrofit_date",
                "改造完成日期",
                "date",
                help_zh="",
                help_en="date the retrofit was completed",
                example="2023-09-30",
                width=12,
            ),
            Column(
                "heat_output",
                "年供热量",
                "number",
                unit="GJ",
                required=False,
                minimum=0,
                help_zh="与「改造前年燃料消耗量」至少填一项；都填时按年供热量计算",
                help_en="annual heat output; or give the annual fuel before (if both, the heat output is used)",
                example="60000",
            ),
            Column(
                "fuel_before_quantity",
                "改造前年燃料消耗量",
                "number",
                required=False,
                minimum=0,
                help_zh="与「年供热量」至少填一项（连同单位）",
                help_en="annual fuel use before the retrofit, with its unit; or give the heat output",
                example="3500",
            ),
            Column(
                "fuel_before_unit",
                "改造前燃料单位",
                "unit",
                required=False,
                help_zh="如 吨",
                help_en="unit of the fuel before",
                example="吨",
                width=10,
            ),
            Column(
                "efficiency_before",
                "改造前热效率",
                "percent",
                required=False,
                minimum=0.3,
                maximum=1.1,
                help_zh="%，空白时按默认值并标注为假设",
                help_en="% ; blank uses a documented default, flagged as an assumption",
                example="70",
                width=10,
            ),
            Column(
                "efficiency_after",
                "改造后热效率",
                "percent",
                required=False,
                minimum=0.3,
                maximum=1.1,
                help_zh="%，空白时按默认值并标注为假设",
                help_en="% ; blank uses a documented default, flagged as an assumption",
                example="92",
                width=10,
            ),
        ),
        key=("boiler_id",),
        help_zh="锅炉低碳改造台账",
        help_en="boiler low-carbon retrofits",
    ),
    Table(
        "solid_waste",
        "固废",
        (
            _enterprise(),
            _year(),
            Column(
                "waste_type",
                "固废类别",
                "text",
                help_zh="如 冶炼废渣、粉煤灰、炉渣、污泥",
                help_en="type of general industrial solid waste",
                example="冶炼废渣",
            ),
            Column(
                "generated", "产生量", "number", unit="t", minimum=0, help_zh="", help_en="generated", example="5000"
            ),
            Column(
                "utilized",
                "综合利用量",
                "number",
                unit="t",
                minimum=0,
                help_zh="含综合利用往年贮存量",
                help_en="utilised, including prior-year stock utilised",
                example="4800",
            ),
            Column(
                "prior_stock_utilized",
                "其中：综合利用往年贮存量",
                "number",
                unit="t",
                required=False,
                minimum=0,
                blank_means_zero=True,
                help_zh="空白视为 0",
                help_en="of which prior-year stock; blank means none",
                example="0",
            ),
            Column(
                "disposed",
                "处置量",
                "number",
                unit="t",
                required=False,
                minimum=0,
                blank_means_zero=True,
                help_zh="空白视为 0",
                help_en="disposed; blank means none",
                example="150",
            ),
            Column(
                "stored",
                "贮存量",
                "number",
                unit="t",
                required=False,
                minimum=0,
                blank_means_zero=True,
                help_zh="空白视为 0",
                help_en="stored; blank means none",
                example="50",
            ),
        ),
        key=(_E, "year", "waste_type"),
        help_zh="一般工业固体废物产生与利用",
        help_en="general industrial solid waste",
    ),
    Table(
        "green_factories",
        "绿色工厂",
        (
            _enterprise(),
            Column(
                "level",
                "级别",
                "choice",
                choices="level",
                help_zh="国家级 / 省级 / 市级",
                help_en="national, provincial, municipal",
                example="国家级",
                width=10,
            ),
            Column("year_awarded", "认定年度", "year", help_zh="", help_en="year awarded", example="2021", width=10),
            Column(
                "certificate_no",
                "批次或文号",
                "text",
                required=False,
                help_zh="",
                help_en="list or certificate number",
                example="工信厅节函〔2021〕XXX号",
                width=22,
            ),
        ),
        key=(_E, "level"),
        help_zh="绿色工厂名单",
        help_en="green factories",
    ),
    Table(
        "resources",
        "资源利用",
        (
            _enterprise(),
            _year(),
            Column(
                "waste_heat_recoverable",
                "余热余冷余压可回收量",
                "number",
                unit="GJ",
                required=False,
                minimum=0,
                help_zh="",
                help_en="recoverable waste heat, cold and pressure",
                example="20000",
            ),
            Column(
                "waste_heat_utilized",
                "余热余冷余压利用量",
                "number",
                unit="GJ",
                required=False,
                minimum=0,
                help_zh="",
                help_en="waste heat, cold and pressure utilised",
                example="12000",
            ),
            Column(
                "water_total",
                "用水总量",
                "number",
                unit="t",
                required=False,
                minimum=0,
                help_zh="新水量 + 重复利用水量",
                help_en="total water use: fresh plus reused",
                example="800000",
            ),
            Column(
                "water_reused",
                "重复利用水量",
                "number",
                unit="t",
                required=False,
                minimum=0,
                help_zh="",
                help_en="water reused",
                example="700000",
            ),
            Column(
                "product_energy_level",
                "产品能耗水平",
                "choice",
                required=False,
                choices="product_energy_level",
                help_zh="对照国家能耗限额标准：一级 / 二级 / 未达标 / 不适用",
                help_en="product energy against the national limit standard",
                example="二级",
            ),
        ),
        key=(_E, "year"),
        help_zh="余热余压利用、工业用水与产品能耗水平",
        help_en="waste heat, water reuse and product energy level",
    ),
    Table(
        "targets",
        "目标",
        (
            Column(
                "indicator",
                "指标",
                "choice",
                choices="indicator",
                help_zh="",
                help_en="indicator",
                example="完成节能降碳改造项目数",
                width=24,
            ),
            _year(),
            Column(
                "value",
                "目标值",
                "number",
                help_zh="百分数填如 90 或 90%",
                help_en="target value; percentages as 90 or 90%",
                example="20",
            ),
            Column(
                "unit",
                "单位",
                "text",
                required=False,
                help_zh="空白即该指标的单位："
                + "、".join(f"{c.zh} {INDICATOR_UNITS[c.id]}" for c in CHOICES["indicator"]),
                help_en="blank means the indicator's unit: "
                + ", ".join(f"{c.id} {INDICATOR_UNITS[c.id]}" for c in CHOICES["indicator"]),
                example="个",
                width=10,
            ),
            Column(
                "base_year",
                "基准年",
                "year",
                required=False,
                help_zh="降低率目标的基准年，如十四五规划的 2020；空白即园区基准年",
                help_en="base year of a reduction target (2020 for the 14th five-year plan); blank: the park's",
                width=10,
            ),
        ),
        key=("indicator", "year"),
        help_zh="园区年度目标",
        help_en="park targets",
    ),
    Table(
        "custom_factors",
        "自定义因子",
        (
            _enterprise(),
            Column(
                "parameter",
                "参数",
                "choice",
                choices="factor_parameter",
                help_zh="低位发热量 / 单位热值含碳量 / 碳氧化率 / 供电排放因子",
                help_en="ncv, carbon_content, oxidation_rate or electricity_co2",
                example="低位发热量",
            ),
            Column(
                "carrier", "能源品种", "carrier", help_zh="", help_en="carrier the value applies to", example="烟煤"
            ),
            Column(
                "year",
                "年度",
                "year",
                required=False,
                help_zh="空白表示各年通用",
                help_en="blank means every year",
                example="2023",
                width=8,
            ),
            Column("value", "数值", "number", minimum=0, help_zh="", help_en="value", example="21.5"),
            Column(
                "unit",
                "单位",
                "unit",
                help_zh="如 GJ/t、tC/TJ、%、tCO2/MWh",
                help_en="unit of the value",
                example="GJ/t",
                width=10,
            ),
            Column(
                "evidence",
                "依据",
                "text",
                help_zh="检测报告或合同编号",
                help_en="test report or contract reference",
                example="检测报告 2023-045",
                width=22,
            ),
        ),
        key=(_E, "parameter", "carrier", "year"),
        help_zh="企业实测参数或供电商排放因子，优先于缺省值，并在结果中标注",
        help_en="enterprise-measured parameters or supplier factors; they override defaults and are marked",
    ),
)

_BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The table with this English name."""
    return _BY_NAME[name]


_KIND_WORDS = {
    "text": "text",
    "enterprise": "enterprise id (must be on 企业)",
    "enterprise_id": "unified social credit code",
    "year": "year",
    "month": "month 1-12",
    "number": "number",
    "percent": "percent (stored as a fraction)",
    "date": "date",
    "choice": "choice",
    "carrier": "carrier",
    "unit": "unit",
    "bool": "yes / no",
    "list": "list",
}


def glossary_markdown() -> str:
    """The README's table glossary, generated from this module (see tools/update_glossary.py)."""
    lines: list[str] = []
    for spec in TABLES:
        lines.append(f"#### `{spec.name}`: {spec.zh} (sheet `{spec.sheet}`)")
        lines.append("")
        lines.append(f"{spec.help_en}. {spec.help_zh}。" + (f" Key: {', '.join(spec.key)}." if spec.key else ""))
        lines.append("")
        lines.append("| column | 中文 | required | kind | unit | meaning | example |")
        lines.append("|---|---|---|---|---|---|---|")
        for c in spec.columns:
            kind = _KIND_WORDS[c.kind]
            if c.choices:
                kind += ": " + ", ".join(f"`{x.id}` {x.zh}" for x in CHOICES[c.choices])
            lines.append(
                f"| `{c.name}` | {c.zh} | {'yes' if c.required else ''} | {kind} | {c.unit or ''} | {c.help_en} | {c.example} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
