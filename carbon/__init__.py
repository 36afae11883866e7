"""carbon: the carbon ledger (碳账本) of an industrial park.

The public API is what ``__all__`` lists: unit conversion, the factor library and the calculation
functions that turn activity data into tce and tCO2. Everything is vectorised: pass a scalar, a numpy
array or a pandas Series, and get the same kind back.

>>> import carbon
>>> carbon.convert(12.5, "万千瓦时", "kWh")
125000.0
"""

from carbon._version import __version__
from carbon.account import AnnualAccount, Methods
from carbon.diff import Diff, diff
from carbon.emissions import electricity_co2, fuel_co2, fuel_non_co2, heat_co2, mass_balance_co2, process_co2
from carbon.energy import to_tce
from carbon.errors import (
    AccountError,
    AccountFormatError,
    CarbonError,
    FactorFallbackWarning,
    FactorFileError,
    FactorNotFoundError,
    IncompatibleUnitError,
    InputValueError,
    TableFolderError,
    UnitError,
    UnknownNameError,
    UnknownUnitError,
    WorkbookError,
    WorkbookFormatError,
)
from carbon.factorset import Factor, FactorSet, load_factors
from carbon.io.account_workbook import account_digest, read_account, read_ledger
from carbon.io.park_template import write_template, write_workbook
from carbon.io.park_workbook import read_workbook, validate_workbook
from carbon.io.table_folder import read_tables, validate_tables
from carbon.ledger import Ledger, sample_workbook_path
from carbon.units import convert, ureg
from carbon.validation.problems import Problem, ReadReport
from carbon.waste import waste_utilization_rate

__all__ = [
    "AccountError",
    "AccountFormatError",
    "AnnualAccount",
    "CarbonError",
    "Diff",
    "Factor",
    "FactorFallbackWarning",
    "FactorFileError",
    "FactorNotFoundError",
    "FactorSet",
    "IncompatibleUnitError",
    "InputValueError",
    "Ledger",
    "Methods",
    "Problem",
    "TableFolderError",
    "ReadReport",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "WorkbookError",
    "WorkbookFormatError",
    "__version__",
    "account_digest",
    "convert",
    "diff",
    "electricity_co2",
    "fuel_co2",
    "fuel_non_co2",
    "heat_co2",
    "load_factors",
    "mass_balance_co2",
    "process_co2",
    "read_account",
    "read_ledger",
    "read_tables",
    "read_workbook",
    "sample_workbook_path",
    "to_tce",
    "ureg",
    "validate_tables",
    "validate_workbook",
    "waste_utilization_rate",
    "write_template",
    "write_workbook",
]
