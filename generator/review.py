"""Review dates: when each playbook is next due for review, and which ones are overdue.

"Today" comes from the HANDBOOK_TODAY environment variable when it is set (YYYY-MM-DD), so
builds and tests can use a fixed clock; otherwise it is the local date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass
from typing import Literal

from .model import Playbook

TODAY_VARIABLE = "HANDBOOK_TODAY"
DUE_SOON_DAYS = 30

Status = Literal["overdue", "due soon", "current"]


class ClockError(ValueError):
    pass


def today() -> dt.date:
    value = os.environ.get(TODAY_VARIABLE)
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ClockError(f"{TODAY_VARIABLE}='{value}' is not a date; write it as YYYY-MM-DD") from None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Review:
    last_reviewed: dt.date
    every_months: int
    due: dt.date
    status: Status
    days_overdue: int


def review_of(playbook: Playbook, on: dt.date) -> Review:
    due = add_months(playbook.last_reviewed, playbook.review_months)
    if on > due:
        status: Status = "overdue"
    elif (due - on).days <= DUE_SOON_DAYS:
        status = "due soon"
    else:
        status = "current"
    return Review(playbook.last_reviewed, playbook.review_months, due, status, max(0, (on - due).days))
