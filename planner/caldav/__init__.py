"""CalDAV publishing: make a calendar collection hold exactly the plan's sessions.

The only network code. :mod:`~planner.caldav.urls` checks URLs and names calendars,
:mod:`~planner.caldav.session` makes requests whose failures are one line,
:mod:`~planner.caldav.discovery` finds or makes the calendar and
:mod:`~planner.caldav.sync` sends what changed. Importing this package does not load
the CalDAV library: a publish does, when it connects.
"""

# Re-exported: the package is the public face; the modules load no network library.
from planner.caldav.session import Target as Target
from planner.caldav.session import network_reason as network_reason
from planner.caldav.session import redact as redact
from planner.caldav.session import secrets as secrets
from planner.caldav.sync import Counts as Counts
from planner.caldav.sync import Ledger as Ledger
from planner.caldav.sync import digest as digest
from planner.caldav.sync import object_name as object_name
from planner.caldav.sync import publish as publish
from planner.caldav.sync import slot_of as slot_of
from planner.caldav.urls import check_url as check_url
from planner.caldav.urls import printable as printable
from planner.caldav.urls import shown_url as shown_url

# Read by the modules at each use (so they can be tuned here).
TIMEOUT = 30  # seconds per request: long enough for a slow server, short enough to notice
# The library reads and parses whole answers in memory (several times their size), so each
# answer is read here first, in chunks, and refused past these bounds. 10 MB lists some
# 30,000 events: more than a calendar of its own for a plan ever holds.
MAX_ANSWER = 10_000_000  # bytes, after any decompression
ANSWER_SECONDS = 120  # to read one answer, checked between chunks
