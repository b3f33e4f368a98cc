"""Log followers that act: each follows the event log with its own tracking position and
comes back in only through command handlers, as any other client does."""
