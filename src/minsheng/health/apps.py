from minsheng.core.apps import MinshengAppConfig


class HealthConfig(MinshengAppConfig):
    name = "minsheng.health"
    label = "health"
