"""What changed between two runs of the account, and why: :func:`diff` gives a :class:`Diff`.

Every submission is corrected before it is final; a diff says what the correction changed. It compares either
two park workbooks (or folders of tables, or :class:`~carbon.Ledger` objects) or two 碳账本 (or
:class:`~carbon.AnnualAccount` objects), and reports every headline figure of the summary, every indicator and
every target's actual, progress, pace needed and status (a target on one side only too) that changed, with its
causes:

- **input rows** added, removed or changed: the sheet and its Excel row on both sides, the row's key (each input
  table's :attr:`carbon.schema.Table.key`), the column, the old and the new value;
- **park facts** (sheet 园区) and **method choices** (:class:`~carbon.Methods`) changed;
- **factors** whose value or edition changed (the account's ``factors`` table), and the park's own measured
  factors (sheet 自定义因子).

**Attribution, for two park workbooks**: sequential replacement from A to B. Starting from A, the causes are
applied in this order, the account recomputed with the public API after each step: the method choices (one step
per choice, in the order of :class:`~carbon.Methods`), the park facts (one step per fact), then the input tables
in the order of the workbook's sheets, each table row by row when it has at most :data:`ROWS_PER_STEP` changed
rows, else as one step (and the tables with the most rows one step each until there are at most
:data:`MAX_STEPS` steps). The last step ends at B's account itself, so the steps add up to the total change.
Where causes interact (a corrected quantity of a fuel whose measured calorific value is also corrected), the
share each gets depends on the order: another order would share the change differently. A state between A and B
that cannot be computed (a row of an enterprise added only in a later step) is joined to the next step, and the
notes say so.

**Two 碳账本** hold no inputs to recompute. Their causes come from what they record (the method choices and park
facts of the manifest, the factors used, per input table a row count and a hash of its contents, and the rows
the tables trace to their input sheet and row: the energy facts, projects, boilers, solid waste, green power and
targets), and a cause is linked to a figure by lineage where the tables allow it (an energy row's own change of
tce and tCO2, a project's own reduction, a target's own figures); the attribution says that it is no
recomputation.

The modules: ``rows`` (rows of two tables compared by key; park facts, method choices), ``figures`` (the figures
compared), ``attribution`` (sequential replacement), ``lineage`` (two 碳账本), ``result`` (:func:`diff`,
:class:`Diff`), ``text`` (the printed report); the workbook is :mod:`carbon.io.diff_workbook`.

``carbon.diff`` is also the name of the function in the package root (``carbon.diff(a, b)``, as
``carbon.read_workbook``): import this package's names from it (``from carbon.diff import Diff``).
"""

from carbon.diff.attribution import MAX_STEPS, ROWS_PER_STEP
from carbon.diff.result import Diff, diff

__all__ = ["MAX_STEPS", "ROWS_PER_STEP", "Diff", "diff"]
