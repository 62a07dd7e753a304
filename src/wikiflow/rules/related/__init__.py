"""WF5: related pages."""

from .related_steps_mismatch import RelatedStepsMismatch

RULES = (RelatedStepsMismatch,)
