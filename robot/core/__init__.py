"""The shared vocabulary: business objects (model), error kinds, exit codes, the one configuration,
secrets, logging, the captcha-solver protocol and the portal port.

Owns: `model`, `errors`, `exit_codes`, `config`, `secrets`, `logs`, `captcha`, `live` (progress of the run),
`portal` (what the engine needs of a portal worker; flows implements it).
May import: nothing of corobot (standard library and third-party packages only). Everything else in
`robot/`, and `flows/`, imports from here.
"""
