"""The annual account: what carbon computes from a park's ledger.

:func:`compute_account` (called by :meth:`carbon.Ledger.account`) returns a frozen :class:`AnnualAccount`;
:class:`Methods` holds every method choice. The modules, in the order the runner uses them:

- ``methods``: the method choices;
- ``resolve``: coefficients from the function layer, with enterprise-measured values;
- ``facts``: the per-fact tables ``detail`` and ``emissions``;
- ``totals``: per enterprise, sub-park, industry and park, the baseline, energy by carrier;
- ``programmes``: projects, boilers, solid waste, green factories;
- ``indicators``: the indicator registry and targets;
- ``boundary``: the park's boundary in a year, the baseline restated on the current boundary;
- ``result``: :class:`AnnualAccount`; ``run``: :func:`compute_account`;
- ``years``: :func:`compute_accounts` and :class:`YearlyAccounts`, many years and their trend.
"""

from carbon.account.methods import Methods
from carbon.account.result import AnnualAccount
from carbon.account.run import compute_account
from carbon.account.totals import LEVELS
from carbon.account.years import YearlyAccounts, compute_accounts
from carbon.errors import AccountError

__all__ = [
    "LEVELS",
    "AccountError",
    "AnnualAccount",
    "Methods",
    "YearlyAccounts",
    "compute_account",
    "compute_accounts",
]
