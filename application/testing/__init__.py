"""Test tools for applications that embed trackwright: the pytest plugin."""
