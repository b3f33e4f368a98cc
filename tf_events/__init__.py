"""Write side of TicketFlower: aggregates, their events, and the commands that change them.

Nothing here knows about the web or the read tables.
"""
