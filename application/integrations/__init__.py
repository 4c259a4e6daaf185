"""Integrations with HPO frameworks (optional extras; nothing here is imported eagerly)."""
