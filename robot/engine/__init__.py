"""The run engine: one run of a workbook from input check to result workbook, exactly once through the
journal, reconciliation of pending receipts, clean stops, the instance lock and the run history.

Owns: `job`, `runner`, `recovery`, `watchdog`, `journal`, `reconcile`, `portal_job`, `solvers`, `captcha_desk`,
`stopping`, `lock`, `history`.
May import: `robot.core`, `robot.books`, `robot.session`, and `flows` (the portal workers it drives).
Never the unattended operation or the commands.
"""
