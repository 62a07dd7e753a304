"""WF3: execution steps."""

from .step_context_missing import StepContextMissing
from .step_link_missing import StepLinkMissing
from .step_link_namespace import StepLinkNamespace
from .step_link_not_first import StepLinkNotFirst
from .step_multiple_links import StepMultipleLinks
from .step_name_duplicate import StepNameDuplicate
from .step_name_empty import StepNameEmpty
from .step_number_gap import StepNumberGap
from .step_number_missing import StepNumberMissing
from .step_target_invalid import StepTargetInvalid
from .steps_missing import StepsMissing

RULES = (StepLinkMissing, StepLinkNotFirst, StepNumberGap, StepNameEmpty, StepNameDuplicate,
         StepMultipleLinks, StepLinkNamespace, StepTargetInvalid, StepContextMissing,
         StepsMissing, StepNumberMissing)
