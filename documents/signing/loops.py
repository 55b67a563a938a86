"""pyHanko drives its own event loop (``asyncio.run``) inside its synchronous API. Where the calling
thread already runs an event loop — an async view, or Playwright's sync API in the browser tests —
that call fails with RuntimeError, so the work is handed to a thread of its own there."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor

from django.utils import translation


def outside_event_loop(func):
    """Run `func` in this thread, or in a fresh one when this thread is running an event loop."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return func(*args, **kwargs)
        language = translation.get_language()  # the reasons speak the caller's language

        def run():
            with translation.override(language):
                return func(*args, **kwargs)

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(contextvars.copy_context().run, run).result()

    return wrapper
