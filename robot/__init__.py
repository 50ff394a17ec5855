"""corobot runtime: config, browser session, workbooks, journal, runner, report and CLI.

Nothing in this package knows the portal's pages; that is `flows/`.
"""

__version__ = "0.1.0"
