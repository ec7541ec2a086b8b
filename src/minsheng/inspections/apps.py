from minsheng.core.apps import MinshengAppConfig


class InspectionsConfig(MinshengAppConfig):
    """The shared inspection engine: registers, double-random draws, checklists. It has
    no pages of its own; domains build theirs on its services and selectors."""

    name = "minsheng.inspections"
    label = "inspections"
    verbose_name = "Inspections"
