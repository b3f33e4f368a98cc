"""Webhooks: an admin registers URLs per ticket type and event kind; a follower of the log
turns matching events into deliveries exactly once; a sender POSTs them, signed as the
Standard Webhooks spec says, with retries."""
