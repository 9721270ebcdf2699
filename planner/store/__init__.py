"""The only SQLite code: saved plans, their revisions, export memory and the training log."""
