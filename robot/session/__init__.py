"""The browser session: which browser to launch, launching it and handing out contexts with per-row
evidence (screenshot, trace), the saved login, the offline captcha OCR,
and scrubbing kept evidence of cookies and tokens.

Layer `session`, beside `books`, above `core` (the import contracts in pyproject.toml are the code map).
It knows no portal page: that is `flows/`.
"""
