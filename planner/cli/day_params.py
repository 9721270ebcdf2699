"""Parse the days off a person gives when generating: ``--skip`` day ranges and the
``--holidays`` region code (looked up in the holidays library later, by
:mod:`planner.holiday_dates`)."""

import re
from itertools import pairwise

from planner.cli.params import _items, parse_date
from planner.errors import OptionError
from planner.models.plan import DayRange

# The longest --skip range: a year (a leap year's 366 days). Days off are a holiday or an
# illness inside a plan; a longer stretch means the plan should start later (--start), and
# more than a year of days off would push every week past the plan's bound anyway.
MAX_SKIP_DAYS = 366
# More ranges than any holiday calendar has days off in a year are a typing slip.
MAX_SKIP_RANGES = 100


def parse_skip(values: list[str]) -> tuple[DayRange, ...]:
    """``2026-12-24..2026-12-26,2027-01-01`` (repeatable, or comma-separated) into day
    ranges, in date order; ``none`` clears the days a saved plan skips.

    Refuses a bad date, a range that ends before it starts or is longer than a year, and
    two ranges that share a day.
    """
    example = "2026-12-24..2026-12-26,2027-01-01"
    if [v.strip().lower() for v in values] == ["none"]:
        return ()
    ranges: list[DayRange] = []
    for value in values:
        for item in _items(value, "--skip", example):
            first_text, dots, last_text = item.partition("..")
            first = parse_date(first_text, "--skip")
            last = parse_date(last_text, "--skip") if dots else first
            if last < first:
                raise OptionError(
                    f"--skip: '{item}' ends before it starts; write the earlier day first, "
                    f"e.g. {last.isoformat()}..{first.isoformat()}"
                )
            if (last - first).days + 1 > MAX_SKIP_DAYS:
                raise OptionError(
                    f"--skip: '{item}' is {(last - first).days + 1} days; give at most "
                    f"{MAX_SKIP_DAYS} days a range (for a longer break start later with --start)"
                )
            ranges.append(DayRange(first=first, last=last))
            if len(ranges) > MAX_SKIP_RANGES:
                raise OptionError(f"--skip: more than {MAX_SKIP_RANGES} ranges; join them")
    ranges.sort(key=lambda r: (r.first, r.last))
    for one, other in pairwise(ranges):
        if other.first <= one.last:
            raise OptionError(
                f"--skip: {one} and {other} overlap (both hold {other.first.isoformat()}); "
                "give each day once"
            )
    return tuple(ranges)


def parse_holidays(text: str) -> str | None:
    """``GB``, ``us-ca``, ``DE-BY`` (a country code, optionally ``-SUBDIVISION``) in upper
    case; ``none`` (None) drops the holidays a saved plan has. Whether the holidays
    library knows the region is checked when the plan is made
    (:mod:`planner.holiday_dates`)."""
    value = text.strip()
    if value.lower() == "none":
        return None
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9][A-Za-z0-9 ]{0,29})?", value):
        raise OptionError(
            f"--holidays: '{value[:40]}' is not a region code; give a country code, "
            "optionally with a subdivision, e.g. GB, US-CA or DE-BY"
        )
    return value.upper()
