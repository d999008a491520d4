"""Calendar arithmetic for profile dates: a profile is due for review some months after its
last change, on the same day of the month (or the month's last day when it is shorter)."""

from __future__ import annotations

import calendar
from datetime import date

#: A profile describes a market that moves: review it at least a year after its last change.
REVIEW_MONTHS = 12

#: Months to the next review by how many paying customers the business has (knowledge/19):
#: about every two months before product-market fit, quarterly in early growth, every six
#: months when scaling. Keys are the choices of business.customers_today.
REVIEW_MONTHS_BY_STAGE = {"none": 2, "1-9": 2, "10-99": 3, "100+": 6}
#: When the stage is not known yet: quarterly, so an early profile is not left for a year.
REVIEW_MONTHS_UNKNOWN_STAGE = 3


def review_months(customers_today: str | None, override: int | None = None) -> int:
    """Months from a profile's last change to its review: ``override`` when set (the
    ``review_months`` setting), else by the business's stage."""
    if override is not None:
        return override
    return REVIEW_MONTHS_BY_STAGE.get(customers_today or "", REVIEW_MONTHS_UNKNOWN_STAGE)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; 31 January + 1 month is 28 (or 29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
