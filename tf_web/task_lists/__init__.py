"""The task lists: the work queue, "my tasks" and tasks with a problem reported."""
