"""Designer pages: tasks, workflows and ticket types, their versions, import and export."""
