"""Deprecated: the park workbook modules moved to :mod:`carbon.io` (formats) and :mod:`carbon.validation`.

The modules here (``xlsx``, ``reader``, ``writer``, ``tables``, ``annotate``, ``cells``, ``validate``) are thin
re-exports kept for one release; reading a name from them warns :class:`DeprecationWarning`.
"""
