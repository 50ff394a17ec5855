"""The web console of `corobot serve`: pages in Chinese for ops staff (upload, progress, history, pending
receipts, template, worklist, settings), the captcha banner, console accounts, sessions, CSRF and safe
downloads.

Layer `console`, below `commands`, above `ops` (the import contracts in pyproject.toml are the code map).
The robot service (`robot.ops.service`) owns the queue: the console only asks it.
`app` puts one router per area together (`routes_*`); `state` is what they share.
"""
