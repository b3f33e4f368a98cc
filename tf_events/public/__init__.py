"""Public submission: ticket types a designer opened to people who are not users."""
