"""The shared vocabulary: business objects (model), error kinds, exit codes, the one configuration,
secrets, logging and the captcha-solver protocol.

Owns: `model`, `errors`, `exit_codes`, `config`, `secrets`, `logs`, `captcha`, `live` (progress of the run).
May import: nothing of corobot (standard library and third-party packages only). Everything else in
`robot/`, and `flows/`, imports from here.
"""
