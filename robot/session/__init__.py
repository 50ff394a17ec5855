"""The browser session: which browser to launch, launching it and handing out contexts with evidence
(screenshot, trace), the saved login, and the offline captcha OCR.

Owns: `browser`, `browser_path`, `browser_process` (finding and killing the launched browser), `session_store`,
`ocr`, `bundle` (scrubbing traces and HTML of cookies and tokens).
May import: `robot.core` only. Knows no portal page (that is `flows/`).
"""
