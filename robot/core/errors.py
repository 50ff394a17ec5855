"""Error kinds of corobot: bad input file, business errors (not retried), system errors (retried)."""


class CorobotError(Exception):
    """Base of all corobot errors; the message is shown to users (Chinese)."""


class InputFileError(CorobotError):
    """The input workbook cannot be used at all (exit code 2)."""


class PortalBusinessError(CorobotError):
    """The portal or the data says no: the row fails and is not retried."""


class PortalSystemError(CorobotError):
    """Timeout, 5xx, dialog did not open, page crashed: retried with backoff."""


class PassingError(PortalSystemError):
    """One request failed in passing (5xx 系统繁忙, no answer, a dialog that did not open) while the page
    itself is still good: retried where it happened, without reloading the application."""


class DeadlineExceeded(PortalSystemError):
    """A browser operation or a row attempt did not finish within its deadline: the page, its context or
    the browser stopped answering (the runner then swaps the context or restarts the browser)."""


class SessionExpired(PortalSystemError):
    """The portal redirected to its login page: log in again, then retry."""


class LoginFailed(CorobotError):
    """Login could not be done (wrong account, captcha never solved): exit code 3."""
