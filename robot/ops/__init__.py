"""Unattended operation: the inbox (`corobot watch`), the schedule, the job queue of `corobot serve`, and the
notifications at the end of a run (webhook, mail).

Layer `ops`, below `console`, above `engine` (the import contracts in pyproject.toml are the code map).
"""
