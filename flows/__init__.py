"""The portal's flows and page objects: a worker's way through the Single Window as a person goes, by the
guide's words (log in, the menu, the 补录 search and dialog, 补录信息查询), and `corobot doctor`'s survey.
Widget know-how of the real site's stack (layui, bootstrap-table) lives only in `widgets.py`; the
portal profile (`profiles/`) carries renamed labels.

Beside `robot/`: it imports only the vocabulary `robot.core` (the import contracts in pyproject.toml are
the code map); the robot's engine drives it.
"""
