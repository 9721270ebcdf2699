"""Use cases end to end: the only code that orders store commits, file writes and the network."""
