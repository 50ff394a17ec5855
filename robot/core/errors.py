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


class PageChanged(PortalSystemError):
    """A guide element (menu entry, label, button, header, dialog title) is missing from a page that has
    loaded: the portal differs from what the robot knows. `words` are the guide's words looked for (as
    the step names them), `seen` what the page showed there instead (may be empty). A run stops after
    the same missing element twice and advises `corobot doctor`."""

    def __init__(self, words: str, seen: str = "", message: str | None = None) -> None:
        self.words = words
        self.seen = seen
        super().__init__(message or (f"页面上未找到【{words}】" + (f"（看到的是：{seen}）" if seen else "")))


class SessionExpired(PortalSystemError):
    """The portal redirected to its login page: log in again, then retry."""


class LoginFailed(CorobotError):
    """Login could not be done (wrong account, captcha never solved): exit code 3."""
