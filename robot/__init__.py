"""corobot runtime, in packages by job; dependencies point one way (checked by import-linter, see
pyproject.toml and tests/unit/test_layers.py):

    commands → console → ops → engine → books | session → core

`core` is the shared vocabulary; `flows/` (the portal's page objects) imports only `robot.core`.
Nothing in this package knows the portal's pages; that is `flows/`.
"""

__version__ = "0.1.0"
