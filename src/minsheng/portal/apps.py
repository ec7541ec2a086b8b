from minsheng.core.apps import MinshengAppConfig


class PortalConfig(MinshengAppConfig):
    name = "minsheng.portal"
    label = "portal"
