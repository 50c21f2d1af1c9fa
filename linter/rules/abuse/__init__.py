"""Abuse and cost (AIL4): AI endpoints and fan-outs with no rate limit."""
