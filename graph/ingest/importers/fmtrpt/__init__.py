"""Importing US Foreign Military Training Report rows (Security Force Monitor's fmtrpt data)."""
