"""What `seed_demo` hands to each app's `demo.py` (`seed(ctx: DemoContext) -> None`).

The foundation seeds the unit tree (as it stood 2021 – 30/6/2025, and the two-level structure
since 1/7/2025), people, roles and phases; then each app's `demo.seed(ctx)` adds its own data,
in the order models_registry, awards, plans. Everything must derive from `ctx.rng` so that a seed
gives the same data every time; bulk inserts keep `province` under a minute on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

MERGER_DATE = dt.date(2025, 7, 1)


@dataclass
class DemoContext:
    size: str  # "small" | "province" | "nation" | "nation5"
    rng: random.Random
    today: dt.date
    years: list[int]  # the years with data: 2022 .. 2026 (2021 .. 2026 at nation5)
    phases: dict  # "2021 – 2025" -> Phase, "2026 – 2030" -> Phase
    root: object  # today's root Unit (Tỉnh Lâm Đồng; "Toàn quốc" at nation size)
    demo_unit: object  # Ban Tuyên giáo và Dân vận Tỉnh ủy: the 5 demo accounts work here
    demo_unit_old: object  # Ban Dân vận Tỉnh ủy Bình Thuận, merged into demo_unit on 1/7/2025
    demo_users: dict  # "admin" | "canbo" | "congdoan" | "chiuy" | "lanhdao" -> User
    # Unit ids that stood on a given day, by role in the movement:
    #   "commune" (xã/phường/thị trấn), "village" (thôn/khu phố), "agency" (cơ quan, đoàn thể),
    #   "district" (huyện level, only before 1/7/2025).
    units_then: dict = field(default_factory=dict)  # (era, group) -> list[int]; era "old"|"new"
    # People (User ids) by unit id, for units that have staff (agencies and communes).
    people_by_unit: dict = field(default_factory=dict)
    scale: float = 1.0  # `seed_demo --scale`: the tree's counts were multiplied by it

    def era(self, year: int) -> str:
        """Which structure a record of `year` was made in (15/10 of that year)."""
        return "old" if dt.date(year, 10, 15) < MERGER_DATE else "new"

    def units(self, year: int, group: str) -> list[int]:
        """Ids of units of `group` that existed in `year`."""
        return self.units_then.get((self.era(year), group), [])

    def phase_for(self, year: int):
        for phase in self.phases.values():
            if phase.start_year <= year <= phase.end_year:
                return phase
        raise KeyError(year)

    def people(self, unit_id: int) -> list[int]:
        return self.people_by_unit.get(unit_id, [])
