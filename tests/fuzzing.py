"""Hypothesis profiles for the fuzz tests, and `fuzz`, the settings every fuzz test uses.

Profiles (registered by conftest.py, before any test module is imported):

- ``ci``, the default: each fuzz test runs the bounded number of examples it asks for, so the
  whole suite stays within a few minutes;
- ``long``, for local runs: ten times as many examples for every fuzz test (and for the
  hypothesis tests without `fuzz`), fresh random seeds, and a failure printed with the
  ``@reproduce_failure`` blob that replays it;
- ``thorough``: the same as ``long``, under the name the safety state machine used before.

Pick one with ``pytest --hypothesis-profile=long`` (hypothesis's pytest plugin loads it in
pytest_configure, after conftest.py registered the profiles and before the test modules are
imported, so `fuzz` sees it at decoration time) or, as before, ``HYPOTHESIS_PROFILE=long``.
The option wins over the variable.
"""

import os
from typing import Any

from hypothesis import settings

CI_EXAMPLES = 100  # hypothesis's own default: what a test without `fuzz` runs in ci
LONG_FACTOR = 10

# On a CI machine hypothesis has already loaded its own "ci" settings (derandomized, no
# example database); "ci" builds on whatever was active underneath, so a fuzz test runs the
# examples it always ran, here and on CI. Two things differ from before these profiles:
# no test has a deadline (in-process commands vary in speed; a slow example is no defect),
# and on CI a test without `fuzz` runs 100 examples (the state machine's own "ci" profile
# used to replace hypothesis's, which gave the modules collected after it 200).
_UNDER = settings.get_profile(settings.get_current_profile_name())
settings.register_profile("ci", _UNDER, max_examples=CI_EXAMPLES, deadline=None)
settings.register_profile(
    "long",
    _UNDER,
    max_examples=CI_EXAMPLES * LONG_FACTOR,
    derandomize=False,
    deadline=None,
    print_blob=True,
)
settings.register_profile("thorough", settings.get_profile("long"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def scale(base: settings | None = None) -> float:
    """How many times its ci examples a fuzz test runs under the active profile (or `base`)."""
    active = base if base is not None else settings()
    return active.max_examples / CI_EXAMPLES


def long_run(base: settings | None = None) -> bool:
    """Whether the active profile (or `base`) asks for more than the bounded ci run."""
    return scale(base) > 1


def fuzz(n: int, *, base: settings | None = None, **kwargs: Any) -> settings:
    """Settings for a fuzz test that runs `n` examples in ci, scaled by the active profile.

    The other keyword arguments are passed to `settings` as they are; `deadline` defaults to
    None (fuzz tests run commands in-process, a slow example is not a failure). `base` is the
    profile to build from instead of the active one (for the tests of this helper).
    """
    kwargs.setdefault("deadline", None)
    examples = max(1, round(n * scale(base)))
    return settings(base, max_examples=examples, **kwargs)
