"""The run engine: one run of a workbook from input check to result workbook, exactly once through the
journal, reconciliation of pending receipts, clean stops, the instance lock and the run history.

Owns: `job`, `runner` (joining `pool`, `row_protocol`, `receipts`, `control`, `page_changes`), `recovery`,
`watchdog`, `journal`, `reconcile`, `portal_job`, `captcha_desk`, `stopping`, `lock`, `history`.
May import: `robot.core`, `robot.books`, `robot.session`. Never `flows`: the portal workers it drives come
through the port `robot.core.portal`, made by the factory the commands pass in.
Never the unattended operation or the commands.
"""
