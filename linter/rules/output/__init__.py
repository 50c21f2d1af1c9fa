"""AIL6: untrusted input in the instructions, and model output used unsafely."""
