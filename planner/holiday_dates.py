"""Public holidays of a region as days off (``--holidays GB``, ``US-CA``, ``DE-BY``).

The one home of the ``holidays`` library, imported inside :func:`resolve` only: start-up
(``planner --help``, a generate without ``--holidays``) never pays for its hundreds of
country modules. The dates are looked up once, when a plan is made, and saved with it, so
the same saved plan always gives the same schedule whatever version of the library is
installed later.
"""

import datetime as dt
from collections.abc import Iterable

from planner.errors import OptionError
from planner.models.common import FIRST_DATE
from planner.models.plan import LAST_SESSION_DATE, Holiday

# How many valid codes an error line lists before it says "..." (the US has 57).
_LISTED = 12
# Holiday names in English where the country's data has them; else its own language.
_LANGUAGES = ("en_US", "en_GB")


def split_region(region: str) -> tuple[str, str | None]:
    """``US-CA`` into ``("US", "CA")``; ``GB`` into ``("GB", None)``."""
    country, _, subdivision = region.partition("-")
    return country, subdivision or None


def resolve(region: str, years: Iterable[int]) -> tuple[str, tuple[Holiday, ...]]:
    """The region code as the library spells it and its public holidays in ``years``, in
    date order.

    Raises:
        OptionError: a country or subdivision the holidays library does not know, with the
            closest codes (or the valid subdivisions) in the message.
    """
    import holidays

    country_text, subdivision_text = split_region(region.strip())
    supported = holidays.list_supported_countries()
    by_upper = {code.upper(): code for code in supported}
    country = by_upper.get(country_text.upper())
    if country is None:
        import difflib  # only on the way to an error message

        close = difflib.get_close_matches(country_text.upper(), sorted(by_upper), n=4, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise OptionError(
            f"--holidays: '{country_text[:20]}' is not a country code the holidays library "
            f"knows{hint}; use an ISO 3166 code such as GB, US, DE or FR"
        )
    subdivision = None
    if subdivision_text is not None:
        subdivisions = {s.upper(): s for s in supported[country]}
        subdivision = subdivisions.get(subdivision_text.upper())
        if subdivision is None:
            raise OptionError(_unknown_subdivision(country, subdivision_text, supported[country]))
    chosen = holidays.country_holidays(country, subdiv=subdivision)
    language = next((lang for lang in _LANGUAGES if lang in chosen.supported_languages), None)
    found = holidays.country_holidays(
        country, subdiv=subdivision, years=sorted(set(years)), language=language
    )
    days = tuple(
        Holiday(date=day, name=_name(name)) for day, name in sorted(found.items()) if _kept(day)
    )
    code = country if subdivision is None else f"{country}-{subdivision}"
    return code.upper(), days


def _unknown_subdivision(country: str, given: str, valid: Iterable[str]) -> str:
    codes = list(valid)
    if not codes:
        return (
            f"--holidays: {country} has no subdivisions in the holidays library; "
            f"give {country} alone"
        )
    import difflib  # only on the way to an error message

    close = difflib.get_close_matches(given.upper(), [c.upper() for c in codes], n=3)
    hint = f" (did you mean {', '.join(f'{country}-{c}' for c in close)}?)" if close else ""
    listed = ", ".join(codes[:_LISTED]) + (", ..." if len(codes) > _LISTED else "")
    return (
        f"--holidays: '{given[:20]}' is not a subdivision of {country}{hint}; "
        f"its subdivisions are {listed}"
    )


def _name(name: str) -> str:
    # One line of plain text, as every saved text; the library joins two holidays on one
    # day with "; ", which reads well.
    return " ".join(name.split())[:120] or "a public holiday"


def _kept(day: dt.date) -> bool:
    return FIRST_DATE <= day <= LAST_SESSION_DATE
