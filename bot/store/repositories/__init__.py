"""One repository per area of the store, each over the session of one transaction."""
