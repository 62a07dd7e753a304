"""WF5: related pages."""

from .heuristic_duplicate import HeuristicDuplicate
from .heuristic_link_namespace import HeuristicLinkNamespace
from .related_list_extra import RelatedListExtra
from .related_pages_missing import RelatedPagesMissing
from .related_steps_mismatch import RelatedStepsMismatch
from .related_steps_section_missing import RelatedStepsSectionMissing
from .tips_empty import TipsEmpty
from .tips_missing import TipsMissing

RULES = (RelatedPagesMissing, RelatedStepsMismatch, RelatedStepsSectionMissing, TipsMissing,
         TipsEmpty, RelatedListExtra, HeuristicLinkNamespace, HeuristicDuplicate)
