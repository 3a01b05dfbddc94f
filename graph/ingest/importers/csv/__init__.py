"""Importing a user's own actors, relations, incidents and sources from CSV files in the shipped templates' columns."""
