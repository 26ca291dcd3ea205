"""Input formats. Each source module turns one file into subjects; :mod:`.registry` picks the source."""
