"""The run engine: one run of a workbook from the input check to the result workbook, exactly once through
the journal; reconciliation of pending receipts, clean stops, the instance lock and the run history.

Layer `engine`, below `ops`, above `books` and `session` (the import contracts in pyproject.toml are the
code map). It never imports `flows/`: the portal workers it drives come through the port `robot.core.portal`,
made by the factory the commands pass in. It knows no unattended operation and no command.
"""
