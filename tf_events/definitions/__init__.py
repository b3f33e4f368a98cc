"""Task, workflow and ticket-type definitions: their format, aggregate and cross-checks."""
