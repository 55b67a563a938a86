"""Every named URL pattern of the portal, read from the URL configuration itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class NamedPattern:
    name: str  # "namespace:name" (or "name" for the patterns without a namespace)
    route: str  # the full route, e.g. "models/<int:pk>/edit/"
    callback: object


def _walk(patterns, prefix: str, namespace: str | None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield NamedPattern(name, route, entry.callback)
            else:
                yield NamedPattern(f"<unnamed> {route}", route, entry.callback)


def named_patterns() -> list[NamedPattern]:
    """All patterns of the root URLconf, recursively; unnamed ones appear as "<unnamed> route"."""
    seen: dict[str, NamedPattern] = {}
    for pattern in _walk(get_resolver().url_patterns, "", None):
        # The first pattern of a name is the one `reverse()` finds for the same kwargs.
        seen.setdefault(pattern.name, pattern)
    return list(seen.values())
