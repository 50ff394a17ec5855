"""The shared vocabulary: business objects, error kinds, exit codes, the one configuration, secrets,
logging, the captcha-solver protocol, the progress of a run, and
the portal port (`portal`: what the engine needs of a portal worker; flows implements it).

Layer `core`, the bottom one (the import contracts in pyproject.toml are the code map): it imports nothing
of corobot; every other package of `robot/`, and `flows/`, may import it.
"""
