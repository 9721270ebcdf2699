"""The examples at the end of every command's help, keyed by the command's path below
the root (``generate``, ``plans list``). Each is a short description and one command
line; tests/test_help.py checks every command has some and that each one parses."""

# The placeholder of a value whose declaration names none, by parameter name: what to
# type, not its Python type.
PLACEHOLDERS: dict[str, str] = {
    "out": "FILE",
    "fmt": "FORMAT",
    "url": "URL",
    "caldav_url": "URL",
    "morning_pain": "0-10",
    "red_flag": "SIGN",
    "start": "DATE",
    "username": "USER",
    "from_": "DATE",
    "until": "DATE",
    "on": "DATE",
    "to": "DATE",
    "date": "DATE",
    "session": "SESSION",
    "exercise": "EXERCISE",
    "exercise_id": "EXERCISE",
    "reps": "REPS",
    "hold": "SECONDS",
    "load": "LOAD",
    "band": "COLOUR",
    "pain": "0-10",
    "rpe": "0-10",
    "note": "TEXT",
    "by": "TEXT",
    "kind": "KIND",
    "equipment": "KIT",
    "file": "FILE",
    "slug": "TEMPLATE",
    "except_": "EXERCISE=REPS",
    "title": "TITLE",
    "source": "TEMPLATE",
}

Examples = tuple[tuple[str, str], ...]

EXAMPLES: dict[str, Examples] = {}

EXAMPLES.update(
    {
        "": (
            ("A plan for knee pain, saved as 'knee':", "planner generate hip-knee --name knee"),
            ("What to do next time, week by week:", "planner show knee"),
        ),
        "generate": (
            (
                "Tuesday, Thursday and Saturday at 07:00 in Chicago, saved as 'knee':",
                "planner generate runner-knee --days tue,thu,sat --time 07:00 "
                "--tz America/Chicago --name knee",
            ),
            (
                "Only bands at home, sparing the knee, with a 30-minute reminder:",
                "planner generate hip-knee --equipment band --avoid knee --remind 30m "
                "--out knee.ics",
            ),
        ),
        "show": (
            ("A saved plan, with its safety state:", "planner show knee"),
            ("A plan file written with --json:", "planner show plan.json"),
        ),
        "plans": (("Every saved plan:", "planner plans list"),),
        "plans list": (("Every saved plan:", "planner plans list"),),
        "plans show": (("A plan's options and revisions:", "planner plans show knee"),),
        "plans delete": (("Delete without being asked:", "planner plans delete knee --yes"),),
        "export": (
            ("A calendar file to import:", "planner export knee --out knee.ics"),
            ("A page to print, with the log so far:", "planner export knee --out knee.html"),
        ),
        "publish": (
            (
                "Put the plan on a CalDAV calendar:",
                "planner publish knee --caldav-url https://dav.example.com/cal/ --username me",
            ),
        ),
        "log": (
            ("Be asked about each exercise of today's session:", "planner log knee"),
            (
                "One exercise of session W1S2, three sets:",
                "planner log knee --session W1S2 --exercise clamshell --reps 15,15,12 "
                "--pain 2 --rpe 6",
            ),
            (
                "A whole session as prescribed, but for one exercise:",
                "planner log knee --session W3S2 --all-done --pain 1 --rpe 6 "
                '--except "clamshell=12,12"',
            ),
        ),
        "checkin": (
            ("Next-morning pain:", "planner checkin knee --morning-pain 2"),
            (
                "Report swelling since yesterday:",
                "planner checkin knee --morning-pain 4 --red-flag swelling",
            ),
        ),
        "history": (("Everything logged so far:", "planner history knee"),),
        "progress": (("The pain trend and each exercise's progress:", "planner progress knee"),),
        "adapt": (
            ("See what would change, saving nothing:", "planner adapt knee --dry-run"),
            ("Adjust the weeks ahead:", "planner adapt knee"),
        ),
        "pause": (
            ("Away for a week:", "planner pause knee --from 2027-01-04 --until 2027-01-10"),
            ("Ill, from today until you resume:", "planner pause knee --note 'flu'"),
        ),
        "resume": (("Back today:", "planner resume knee"),),
        "move": (("Session W2S1 a day later:", "planner move knee W2S1 --to 2026-12-15"),),
        "skip": (("Missed on purpose:", "planner skip knee W2S3 --note 'travelling'"),),
        "clear": (
            (
                "A physio has seen you about the red flags:",
                "planner clear knee --note 'seen by physio J. Ng' --date 2026-12-10",
            ),
        ),
        "validate": (("Check your own template:", "planner validate my-plan.toml"),),
        "schema": (("The schema of template files:", "planner schema --kind program"),),
        "sources": (
            ("What every shipped template rests on:", "planner sources"),
            ("The sources of one template:", "planner sources hip-knee"),
        ),
        "templates": (("The shipped templates:", "planner templates list"),),
        "templates list": (("The shipped templates:", "planner templates list"),),
        "templates show": (("Everything one says:", "planner templates show hip-knee"),),
        "templates new": (
            (
                "Start your own from a shipped one:",
                "planner templates new my-plan.toml --from hip-knee",
            ),
        ),
        "exercises": (
            ("Exercises you can do with a band:", "planner exercises list --equipment band"),
        ),
        "exercises list": (
            ("Exercises you can do with a band:", "planner exercises list --equipment band"),
        ),
        "exercises show": (("One exercise, with its cues:", "planner exercises show clamshell"),),
    }
)
