"""WF2: the metadata table."""

RULES = ()
