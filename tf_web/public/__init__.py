"""Published forms: the public page, its sandbox frame, confirmation and status link."""
