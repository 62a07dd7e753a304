"""WF6: wikitext hygiene."""

from .annotation_refused import AnnotationRefused
from .annotation_single_colon import AnnotationSingleColon
from .encoding import Encoding
from .markdown_bold import MarkdownBold
from .markdown_fence import MarkdownFence
from .markdown_link import MarkdownLink
from .markdown_title import MarkdownTitle
from .property_name_format import PropertyNameFormat
from .unclosed_link import UnclosedLink
from .unclosed_markup import UnclosedMarkup
from .unused_suppression import UnusedSuppression

RULES = (MarkdownTitle, MarkdownBold, MarkdownFence, MarkdownLink, UnclosedLink,
         UnclosedMarkup, AnnotationSingleColon, PropertyNameFormat, Encoding, UnusedSuppression,
         AnnotationRefused)
