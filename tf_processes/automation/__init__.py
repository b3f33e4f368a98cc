"""Software tasks: the follower that notices them open, and the runners that do them."""
