"""Tickets: submission against pinned definition versions, data validation, uploads."""
