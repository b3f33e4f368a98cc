"""Processes: followers of the event log that act by sending commands, each with its own
position, like the read models' workers, and coming back in only through handlers."""
