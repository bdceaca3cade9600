"""`wait_until`: tests wait on a condition with a deadline, never on a bare sleep."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

from mspvault.shared.infra.polling import poll_until

T = TypeVar("T")


@overload
async def wait_until(
    predicate: Callable[[], Awaitable[T]],
    timeout: float = ...,  # noqa: ASYNC109  # a deadline for the whole wait, not for one call
    interval: float = ...,
    message: str = ...,
    *,
    ignore: tuple[type[BaseException], ...] = ...,
) -> T: ...


@overload
async def wait_until(
    predicate: Callable[[], T],
    timeout: float = ...,  # noqa: ASYNC109
    interval: float = ...,
    message: str = ...,
    *,
    ignore: tuple[type[BaseException], ...] = ...,
) -> T: ...


async def wait_until(
    predicate: Callable[[], Any],
    timeout: float = 10.0,  # noqa: ASYNC109
    interval: float = 0.02,
    message: str = "condition",
    *,
    ignore: tuple[type[BaseException], ...] = (),
) -> Any:
    """Poll `predicate` (sync or async) until it returns something truthy, and return that value.

    On timeout raise AssertionError carrying `message`, so a failed wait reads like a failed assert. Exceptions in
    `ignore` count as "not yet"; any other exception fails the test at once.
    """
    try:
        return await poll_until(predicate, timeout=timeout, interval=interval, what=message, ignore=ignore)
    except TimeoutError as exc:
        raise AssertionError(str(exc)) from exc.__cause__
