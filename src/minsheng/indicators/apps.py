from minsheng.core.apps import MinshengAppConfig


class IndicatorsConfig(MinshengAppConfig):
    name = "minsheng.indicators"
    label = "indicators"
