"""AIL3: personal data and secrets sent to a model."""
