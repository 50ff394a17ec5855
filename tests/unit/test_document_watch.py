"""DocumentWatch's count of failed requests: an empty answer drawn after a failed query is not trusted
(a 5xx that bootstrap-table draws as 没有找到匹配的记录 must never make a row 失败 or a 补录 look absent)."""

from __future__ import annotations

from types import SimpleNamespace

from flows.pages.document_watch import DocumentWatch


def _response(status: int, kind: str = "xhr") -> SimpleNamespace:
    return SimpleNamespace(status=status, request=SimpleNamespace(resource_type=kind), url="http://portal/x")


def test_an_answer_is_trusted_until_a_request_fails() -> None:
    watch = DocumentWatch()
    before = watch.request_errors
    watch._seen(_response(200))  # type: ignore[arg-type]
    watch._failed_request(SimpleNamespace(failure="net::ERR_ABORTED"))  # type: ignore[arg-type]
    assert watch.answer_trusted(before), "a query the page dropped itself is no failure"
    watch._seen(_response(502))  # type: ignore[arg-type]
    assert not watch.answer_trusted(before)


def test_a_request_without_an_answer_counts_as_failed() -> None:
    watch = DocumentWatch()
    before = watch.request_errors
    watch._failed_request(SimpleNamespace(failure="net::ERR_CONNECTION_RESET"))  # type: ignore[arg-type]
    assert not watch.answer_trusted(before)
