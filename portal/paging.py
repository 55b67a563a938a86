"""Pages of large lists read from an index.

`IdPaginator` takes a page as `pk IN (the page's ids, in the list's order)`: PostgreSQL walks an
index for the ids and reads only the rows it shows, where a plain slice makes it read (and compute
the annotations of) every row the filters let through before sorting them. Its count may come from
a cheaper query than `COUNT(*)` over the list (the models list counts its two visible parts apart),
and its rows from a query that does not test the filters again.

A search whose words are in nearly every row cannot be counted from an index: PostgreSQL would test
every row. With `cap`, the count stops at `cap` rows (`paginator.capped` says so, the page says
"more than"), and the pages go as far as the cap; narrowing the search shows the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

SEARCH_COUNT_CAP = 1_000


class IdPaginator(Paginator):
    def __init__(self, object_list: QuerySet, per_page: int, *, count: Callable[[int | None], int] | None = None,
                 rows: Callable[[QuerySet], QuerySet] | None = None, cap: int | None = None,
                 capped_list: QuerySet | None = None, **kwargs):
        """`count(limit)`: the number of rows, or `limit` when there are at least that many (`limit`
        is None without a cap). `rows(ids)`: the rows shown for a page's ids, in the list's order. By
        default the list itself narrowed to them; a list whose filters are costly to test again gives
        its plain rows. `capped_list`: the same list written for many matches, whose ids a page takes
        when the count reached the cap (a search whose words are in most rows)."""
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped_list = capped_list
        # A capped count reads ids only: the rows' annotations (figures per row) are not computed.
        self._count = count or (lambda limit: (self.object_list.order_by().values("pk")[:limit] if limit
                                               else self.object_list).count())
        self._rows = rows or (lambda ids: object_list.filter(pk__in=ids))

    @cached_property
    def _counted(self) -> int:
        return self._count(self.cap + 1 if self.cap is not None else None)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap) if self.cap is not None else self._counted

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count and the pages stop there."""
        return self.cap is not None and self._counted > self.cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        walked = self.capped_list if self.capped and self.capped_list is not None else self.object_list
        ids = walked.values("pk")[bottom:top]
        return self._get_page(self._rows(ids), number, self)
