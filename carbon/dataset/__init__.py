"""Many parks: their ledgers as one Parquet dataset, and their account on Dask.

- :func:`collect` (``carbon collect``): park workbooks or folders of tables, each validated as one park's is,
  into a dataset partitioned by province, park and reporting year, with every problem and row count kept
  (:mod:`carbon.dataset.layout` describes the folder); :func:`read_park` reads one park's ledger back.
- :func:`account_dataset` (``carbon province``): the account of every park of a dataset, the single-machine
  account as the per-park kernel, combined on Dask per province and nationally.

Dask is imported only when an account is computed (``pip install 'carbon-ledger[dataset]'``).
"""

from carbon.dataset.account import DatasetAccount, account_dataset
from carbon.dataset.collect import Collected, collect
from carbon.dataset.layout import read_park

__all__ = ["Collected", "DatasetAccount", "account_dataset", "collect", "read_park"]
