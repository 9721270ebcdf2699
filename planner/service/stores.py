"""Opening the plan store for a command: created on first save, never for a read."""

from pathlib import Path

from planner.errors import StoreError
from planner.store.database import Store, open_store, resolve_path


def store_at(db: Path | None, create: bool = True) -> Store | None:
    """The store at ``db`` (or the default place); None if it does not exist and
    ``create`` is False."""
    path, source = resolve_path(db)
    return open_store(path, source, create=create)


def writable_store(db: Path | None) -> Store:
    """The store at ``db``, created if it does not exist yet."""
    store = store_at(db)
    assert store is not None  # create=True always gives a store or raises
    return store


def saved_store(db: Path | None, name: str) -> Store:
    """The store, for commands about the saved plan ``name``; never creates an empty one.

    Raises:
        StoreError: there is no store yet.
    """
    store = store_at(db, create=False)
    if store is None:
        raise StoreError(
            f"no saved plan named '{name}' (no plan store yet); "
            f"save one with 'planner generate ... --name {name}'"
        )
    return store
