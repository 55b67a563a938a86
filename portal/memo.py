"""Values read once per request (the phases, say), so the many parts of a page don't ask again.

Outside a request (tasks, commands, tests calling services) nothing is cached, unless the job
says where its own "once" ends with `memo_scope()` (a reminder pass reads the phases once, not once
for each of the thousands of plans it looks at).
"""

from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("portal_request_memo", default=None)


def memo(key, compute):
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


@contextmanager
def memo_scope():
    """Cache `memo` values until the block ends (a scope already open is kept, not replaced)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
