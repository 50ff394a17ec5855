"""Unattended operation: the inbox (`watch`), its ledger, the schedule, and the notifications at the
end of a run (webhook, mail, the notice they share).

Owns: `watch`, `inbox`, `inbox_ledger`, `schedule`, `notify`, `webhook`, `mail`, `notice`, `service` (the job
queue of `corobot serve`), `origins` (who uploaded what).
May import: `robot.engine`, `robot.books`, `robot.session`, `robot.core`. Never the commands.
"""
