"""Errors written for people.

Names avoid shadowing built-ins. Every message must say what is wrong and, where it can,
where (file, row, column) and how to fix it. The UI shows ``str(err)`` in an alert and the
CLI prints it as one line; neither shows a traceback.
"""
from __future__ import annotations


class AtlasError(Exception):
    """Base class for every error a user may see."""


class InputError(AtlasError):
    """A file or value given by the user cannot be used.

    ``file``, ``row`` (1-based line number in the file, header = line 1) and ``column`` are kept
    as attributes so callers can show them in a table as well as in the message.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None):
        self.file, self.row, self.column, self.reason = file, row, column, message
        where = []
        if file:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class QueryParameterError(AtlasError):
    """A query was called with missing or unexpected parameters."""


class StoreError(AtlasError):
    """The DuckDB store is missing, locked or from an incompatible version."""
