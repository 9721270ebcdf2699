"""The template a saved plan is rebuilt from: the snapshot its revision keeps.

adapt, the safety hold and ``generate --name`` rebuild a saved plan from the copy of the
template kept with its latest revision, never from a file that may have changed since or
that lived in the person's working folder. A newer template reaches a saved plan only when
the person asks (``generate --update-template``).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.errors import TemplateError
from planner.models.snapshot import TemplateSnapshot

if TYPE_CHECKING:
    from planner.store.database import Revision, Store


def saved_template(store: "Store", name: str, revision: "Revision") -> TemplateSnapshot:
    """The template ``revision`` of the saved plan ``name`` was built from.

    A revision from an older store keeps no copy when its template was the person's own
    file; the shipped template of that name is used if there is one, as before.

    Raises:
        TemplateError: there is no copy and no shipped template of that name.
        StoreError: the copy cannot be read back.
    """
    if revision.snapshot is not None:
        return store.snapshot(revision.snapshot)
    from planner.templates import shipped_snapshot

    shipped = shipped_snapshot(revision.template)
    if shipped is None:
        raise TemplateError(
            f"saved plan '{name}' was made from your template '{revision.template}', which an "
            "older planner did not keep with the plan; run 'planner generate "
            f"{revision.template}.toml --name {name} --start ... --days ...' once with that "
            "file (and the plan's start and days) so the plan keeps a copy"
        )
    return shipped


@dataclass(frozen=True, slots=True)
class Chosen:
    """The template a new revision is built from, and what to tell the person about it."""

    snapshot: TemplateSnapshot
    note: str = ""


def choose_template(
    store: "Store | None", template: str, previous: "Revision | None", update: bool
) -> Chosen:
    """The template for ``generate``: ``template`` as it is now for a new plan, another
    template or ``update``; otherwise the copy the saved plan keeps (``previous`` is its
    latest revision), with a note when the file has changed since.

    Raises:
        TemplateError: the template to read cannot be read.
    """
    from planner.templates import load_snapshot, template_name

    if store is None or previous is None or previous.template != template_name(template):
        return Chosen(load_snapshot(template))
    if update or previous.snapshot is None:
        fresh = load_snapshot(template)
        same = previous.snapshot is not None and store.snapshot(previous.snapshot) == fresh
        note = f"template '{fresh.template}' has not changed; nothing to update" if same else ""
        return Chosen(fresh, note)
    kept = store.snapshot(previous.snapshot)
    try:
        now = load_snapshot(template)
    except TemplateError:  # gone or broken: the plan does not need it
        return Chosen(kept)
    return Chosen(kept, changed_note(kept, now))


def changed_note(kept: TemplateSnapshot, now: TemplateSnapshot) -> str:
    """What to say when a saved plan keeps ``kept`` and the files give ``now``: nothing
    when they are the same, else which part changed and how to take it.

    Compared as models, not by digest: a copy saved by an older planner reads back with
    the defaults of keys added since, and equals the template as it reads now. A change
    to the exercise library alone (your personal library, an exercise file) is named as
    such: stand-ins are picked from the whole library, so it can change the plan too.
    """
    if kept == now:
        return ""
    if kept.program == now.program:
        return (
            f"kept template '{kept.template}' and its exercises as saved with the plan; the "
            "exercise library (yours or the shipped one) has changed since: add "
            "--update-template to use it"
        )
    return (
        f"kept template '{kept.template}' as saved with the plan; it has changed since: "
        "add --update-template to use the new version"
    )
