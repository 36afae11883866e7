"""The annual account: what carbon computes from a park's ledger.

:func:`compute_account` (called by :meth:`carbon.Ledger.account`) returns a frozen :class:`AnnualAccount`;
:class:`Methods` holds every method choice.
"""

from carbon.account.core import LEVELS, AnnualAccount, compute_account
from carbon.account.methods import Methods
from carbon.errors import AccountError

__all__ = ["LEVELS", "AccountError", "AnnualAccount", "Methods", "compute_account"]
