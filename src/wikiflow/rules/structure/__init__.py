"""WF1: page structure and the overview block."""

from .duplicate_section import DuplicateSection

RULES = (DuplicateSection,)
