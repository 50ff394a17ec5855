"""corobot's runtime, in packages by job. The packages are layers, and a package imports only from the
layers below it:

    commands → console → ops → engine → books | session → core

The import contracts in pyproject.toml (`[tool.importlinter]`, checked by `lint-imports` in `make lint`)
are the code map: they, not lists kept by hand, say which package may import which;
tests/unit/test_layers.py adds that there are no import circles. Each package's docstring says what
the package is for and which layer it is. `core` is the shared vocabulary; `flows/` (the portal's page
objects) imports only `robot.core`. Nothing in this package knows the portal's pages; that is `flows/`.
"""

__version__ = "0.1.0"
