"""Helpers shared by the tests (tests/unit and tests/e2e): workbooks built from the mock portal's data,
`corobot …` and `corobot serve` as processes, notification receivers, the mock's wire. Test modules
import from here, never from one another."""
