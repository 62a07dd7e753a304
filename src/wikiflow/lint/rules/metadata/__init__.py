"""WF2: the metadata table."""

from .domain_format import DomainFormat
from .domains_missing import DomainsMissing
from .last_updated_format import LastUpdatedFormat
from .last_updated_future import LastUpdatedFuture
from .last_updated_invalid import LastUpdatedInvalid
from .last_updated_missing import LastUpdatedMissing
from .metadata_missing import MetadataMissing
from .metadata_not_first import MetadataNotFirst
from .metadata_row_order import MetadataRowOrder
from .metadata_style import MetadataStyle
from .metadata_text import MetadataText
from .source_malformed import SourceMalformed
from .source_type import SourceType
from .source_url import SourceUrl
from .sources_missing import SourcesMissing
from .unknown_metadata_row import UnknownMetadataRow

RULES = (
    MetadataMissing, MetadataNotFirst, MetadataStyle, MetadataRowOrder, UnknownMetadataRow,
    SourcesMissing, SourceMalformed, SourceType, SourceUrl, DomainsMissing, DomainFormat,
    MetadataText, LastUpdatedMissing, LastUpdatedFormat, LastUpdatedInvalid, LastUpdatedFuture,
)
