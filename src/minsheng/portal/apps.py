from minsheng.core.apps import MinshengAppConfig


class PortalConfig(MinshengAppConfig):
    name = "minsheng.portal"
    label = "portal"
    verbose_name = "Public portal"
    urls = "minsheng.portal.urls"
