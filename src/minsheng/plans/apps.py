from minsheng.core.apps import MinshengAppConfig


class PlansConfig(MinshengAppConfig):
    name = "minsheng.plans"
    label = "plans"
