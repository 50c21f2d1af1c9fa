"""AIL1: secrets in source code."""
