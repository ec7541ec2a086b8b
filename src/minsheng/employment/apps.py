from minsheng.core.apps import MinshengAppConfig


class EmploymentConfig(MinshengAppConfig):
    name = "minsheng.employment"
    label = "employment"
