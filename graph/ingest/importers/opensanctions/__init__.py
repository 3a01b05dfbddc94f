"""Importing OpenSanctions FollowTheMoney entity files and their delta files into ActorGraph."""
