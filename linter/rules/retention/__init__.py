"""AIL303: data retention at the provider."""
