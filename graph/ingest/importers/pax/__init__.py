"""Importing PA-X peace agreements (University of Edinburgh, Bell et al.) into ActorGraph."""
