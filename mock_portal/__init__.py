"""The mock of the China Single Window's 出口报关单补录 function (docs/portal-contract.md): two front ends
(layui and accessible), a test API and chaos knobs. The robot's tests and benchmarks run against it.

Independent of the robot (the import contracts in pyproject.toml are the code map): of `robot/` it may use
only `robot.core` and `robot.session` (which browser to launch for its screenshots), nothing of `flows/`.
"""
