"""One way to say "did you mean ...?" after a word that is not in a known set (time zones,
equipment, pain flags, band colours, exercise ids, plan names).

Pure: no I/O. difflib is imported when a suggestion is asked for, which happens only on
the way to an error message.
"""

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The known words nearest to ``word``, best first; compared without regard to case,
    returned as the known set spells them."""
    import difflib

    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(choice.casefold(), choice)
    near = difflib.get_close_matches(word.casefold(), list(by_fold), n=n, cutoff=cutoff)
    return [by_fold[key] for key in near]


def did_you_mean(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.6) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the nearest known words, or ``""`` if none is
    near; meant to be appended to an error message."""
    near = close_matches(word, choices, n, cutoff)
    if not near:
        return ""
    quoted = [f"'{item}'" for item in near]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"
