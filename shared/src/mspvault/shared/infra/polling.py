"""Wait on a condition with a deadline: the one polling loop that readiness checks and tests share."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, NotRequired, TypedDict, TypeVar, Unpack, overload

T = TypeVar("T")


class PollOptions(TypedDict):
    timeout: float  # a deadline for the whole poll, not for one call
    interval: float
    what: str  # named in the TimeoutError
    ignore: NotRequired[tuple[type[BaseException], ...]]


@overload
async def poll_until(predicate: Callable[[], Awaitable[T]], **options: Unpack[PollOptions]) -> T: ...


@overload
async def poll_until(predicate: Callable[[], T], **options: Unpack[PollOptions]) -> T: ...


async def poll_until(
    predicate: Callable[[], Any],
    *,
    timeout: float,  # noqa: ASYNC109
    interval: float,
    what: str,
    ignore: tuple[type[BaseException], ...] = (),
) -> Any:
    """Call `predicate` (sync or async) until it returns something truthy, and return that.

    Exceptions listed in `ignore` count as "not yet" (a port that refuses connections while a server starts);
    any other exception propagates at once. Raises TimeoutError naming `what` when the deadline passes.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last_error: BaseException | None = None
    while True:
        try:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
        except ignore as exc:
            last_error = exc
        else:
            if result:
                return result
        if loop.time() >= deadline:
            detail = f" (last error: {last_error!r})" if last_error is not None else ""
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}{detail}") from last_error
        await asyncio.sleep(interval)
