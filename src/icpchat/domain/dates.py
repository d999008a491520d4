"""Calendar arithmetic for profile dates: a profile is due for review some months after its
last change, on the same day of the month (or the month's last day when it is shorter)."""

from __future__ import annotations

import calendar
from datetime import date

#: A profile describes a market that moves: review it a year after its last change by default.
REVIEW_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; 31 January + 1 month is 28 (or 29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
