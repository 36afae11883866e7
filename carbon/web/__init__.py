"""The web parts of carbon: the self-contained HTML report (:mod:`carbon.web.report`) and the local page
(``carbon serve``).

They need the ``web`` extra (``pip install 'carbon-ledger[web]'``: Jinja2 and Starlette), so nothing in the
core package imports them: ``carbon/__init__`` does not, and :meth:`carbon.AnnualAccount.to_html` imports the
report writer inside the method. Apache ECharts ships in ``static/`` at a pinned version with its licence.
"""
