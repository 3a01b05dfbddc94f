"""Importing the UN Security Council consolidated sanctions list (XML) into ActorGraph."""
