"""The terminal chat: the whole tutor offline, no token needed."""
