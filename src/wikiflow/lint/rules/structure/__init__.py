"""WF1: page structure and the overview block."""

from .description_empty import DescriptionEmpty
from .duplicate_section import DuplicateSection
from .heading_format import HeadingFormat
from .missing_section import MissingSection
from .overview_sentences import OverviewSentences
from .section_level import SectionLevel
from .section_order import SectionOrder
from .unknown_section import UnknownSection
from .usage_empty import UsageEmpty

RULES = (
    MissingSection, SectionOrder, DuplicateSection, SectionLevel, UnknownSection, HeadingFormat,
    OverviewSentences, DescriptionEmpty, UsageEmpty,
)
