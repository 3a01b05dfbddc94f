"""Importing the UCDP actor list (Uppsala Conflict Data Program) into ActorGraph."""
