"""The run engine: one run of a workbook from the input check to the result workbook, exactly once through
the journal; reconciliation of pending receipts, clean stops, the instance lock and the run history.

Layer `engine`, below `ops`, above `books` and `session` (the import contracts in pyproject.toml are the
code map). It drives the portal's workers of `flows/` and knows no unattended operation and no command.
"""
