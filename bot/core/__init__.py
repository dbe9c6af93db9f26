"""The tutor itself: commands in, platform-neutral replies out."""
