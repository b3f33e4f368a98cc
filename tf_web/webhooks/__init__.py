"""Admin pages for webhooks: register, edit, disable, rotate the secret, the delivery log."""
