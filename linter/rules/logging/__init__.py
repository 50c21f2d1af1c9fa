"""Sensitive data in logs (AIL5): raw input, prompts and responses, secrets and personal data."""
