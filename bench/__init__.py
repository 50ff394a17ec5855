"""Benchmarks of corobot: the robot against the portal's own limit (`python -m bench`) and the data layer."""
