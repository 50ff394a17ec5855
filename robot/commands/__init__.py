"""The commands: the `corobot` command line and the handlers behind each command (run under the lock,
watch, login, history, demo, harvest, worklist, serve, user).

Owns: `cli`, `unattended`, `demo`, `harvest`, `worklist`, `login_cmd`, `console_cmd` (serve, user), `wiring`
(the composition root: the portal workers and captcha solvers the engine is given).
May import: every other package of `robot/`, and `flows`. Nothing imports it.
"""
