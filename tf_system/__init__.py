"""Composition root: settings, the database (configured or embedded), and the wiring of the
application, the projections and the web for every entry point (web, workers, CLI, tests)."""
