"""Tickets on the web: submit one, see its confirmation and status, download its files."""
