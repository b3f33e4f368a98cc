"""The definition assistant's pages: a chat on the left, the draft on the right."""
