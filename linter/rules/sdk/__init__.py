"""AIL7: SDK hygiene."""
