"""Progress, attempts and settings in a SQL database."""
