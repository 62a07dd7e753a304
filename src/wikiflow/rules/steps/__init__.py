"""WF3: execution steps."""

from .step_number_gap import StepNumberGap

RULES = (StepNumberGap,)
