from minsheng.core.apps import MinshengAppConfig


class SafetyConfig(MinshengAppConfig):
    name = "minsheng.safety"
    label = "safety"
