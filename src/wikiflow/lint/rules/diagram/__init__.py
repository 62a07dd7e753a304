"""WF4: the execution diagram."""

from .diagram_direction import DiagramDirection
from .diagram_extra_node import DiagramExtraNode
from .diagram_missing import DiagramMissing
from .diagram_not_flowchart import DiagramNotFlowchart
from .diagram_order import DiagramOrder
from .diagram_step_missing import DiagramStepMissing
from .diagram_syntax import DiagramSyntax
from .diagram_undefined_node import DiagramUndefinedNode
from .diagram_unreachable import DiagramUnreachable
from .extra_diagram import ExtraDiagram

RULES = (DiagramMissing, DiagramSyntax, DiagramDirection, DiagramStepMissing, DiagramExtraNode,
         DiagramUndefinedNode, DiagramUnreachable, DiagramOrder, ExtraDiagram, DiagramNotFlowchart)
