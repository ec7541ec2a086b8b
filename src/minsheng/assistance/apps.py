from minsheng.core.apps import MinshengAppConfig


class AssistanceConfig(MinshengAppConfig):
    name = "minsheng.assistance"
    label = "assistance"
