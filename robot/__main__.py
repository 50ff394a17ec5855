"""`python -m robot …` is the `corobot` command (robot.commands.cli)."""

from robot.commands.cli import main

raise SystemExit(main())
