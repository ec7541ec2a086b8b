from minsheng.core.apps import MinshengAppConfig


class CaseworkConfig(MinshengAppConfig):
    name = "minsheng.casework"
    label = "casework"
