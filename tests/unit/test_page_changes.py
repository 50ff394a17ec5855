"""A guide element missing twice is a changed page (issue 17 part 4); other errors never count."""

from __future__ import annotations

from robot.core.errors import PageChanged, PassingError, PortalSystemError
from robot.engine.page_changes import PageChanges


class DialogDidNotOpen(PageChanged, PassingError):
    """Like flows' dialog that did not open: a passing error, though its element is missing."""


def test_the_same_element_missing_twice_is_a_change_naming_step_and_words() -> None:
    changes = PageChanges()
    assert changes.missed(PageChanged("报关单号补录"), "查询证书") is None
    change = changes.missed(PageChanged("报关单号补录", "单号补录"), "查询证书")
    assert change is not None and (change.step, change.words, change.seen) == ("查询证书", "报关单号补录", "单号补录")
    assert "corobot doctor" in change.text() and "【报关单号补录】" in change.text() and "单号补录" in change.text()
    assert "corobot doctor" in change.short()


def test_different_elements_and_other_errors_do_not_add_up() -> None:
    changes = PageChanges()
    assert changes.missed(PageChanged("证明号"), "查询证书") is None
    assert changes.missed(PageChanged("报关单号"), "填写") is None
    assert changes.missed(PortalSystemError("系统繁忙"), "查询证书") is None
    assert changes.missed(DialogDidNotOpen("报关单号补录（对话框）"), "填写") is None
    assert changes.missed(DialogDidNotOpen("报关单号补录（对话框）"), "填写") is None
