"""WF4: the execution diagram."""

RULES = ()
