"""Read side of TicketFlower: workers that follow the event log and keep read tables.

Each read model applies events to its tables and records its position in the same
transaction (exactly once). Every table can be dropped and rebuilt from the log.
"""
