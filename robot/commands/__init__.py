"""The commands: the `corobot` command line and the handler behind each command (run, watch, login,
history, demo, harvest, worklist, serve, user …).

Layer `commands`, the top one (the import contracts in pyproject.toml are the code map): it wires the
other packages together, and nothing imports it.
`wiring` is the composition root: the portal workers and captcha solvers the engine is given.
"""
