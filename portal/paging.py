"""Pages of large lists read from an index.

`IdPaginator` takes a page as `pk IN (the page's ids, in the list's order)`: PostgreSQL walks an
index for the ids and reads only the rows it shows, where a plain slice makes it read (and compute
the annotations of) every row the filters let through before sorting them. Its count may come from
a cheaper query than `COUNT(*)` over the list (the models list counts its two visible parts apart),
and its rows from a query that does not test the filters again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class IdPaginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, count: Callable[[], int] | None = None,
                 rows: Callable[[QuerySet], QuerySet] | None = None, **kwargs):
        """`rows(ids)`: the rows shown for a page's ids, in the list's order. By default the list
        itself narrowed to them; a list whose filters are costly to test again gives its plain rows."""
        super().__init__(object_list, per_page, **kwargs)
        self._count = count
        self._rows = rows or (lambda ids: object_list.filter(pk__in=ids))

    @cached_property
    def count(self) -> int:
        return self._count() if self._count is not None else self.object_list.count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self._rows(ids), number, self)
