from django.apps import AppConfig


class MinshengAppConfig(AppConfig):
    """Base for every minsheng app. What a module plugs into the platform is declared
    here, by dotted path, and read in one place (`minsheng.core.plugins`):

    - ``urls``: a urls module mounted at ``/<label>/``
    - ``api_router``: a django-ninja Router mounted at ``/api/<label>/``
    - ``cli``: a typer app added as ``minsheng <label> ...``
    - ``demo_builder``: ``build(context)`` called by the demo generator, in ``demo_order``
    - ``nav``: (label, url name, permission or None) shown in the top navigation
    - ``public``: (label, url name, description) pages for residents, listed on the portal
    """

    default_auto_field = "django.db.models.BigAutoField"
    urls: str | None = None
    api_router: str | None = None
    cli: str | None = None
    demo_builder: str | None = None
    demo_order: int = 100
    nav: tuple = ()
    public: tuple = ()


class CoreConfig(MinshengAppConfig):
    name = "minsheng.core"
    label = "core"
    verbose_name = "Core registry"
    api_router = "minsheng.core.api.router"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.utils.translation import gettext_lazy as _

        from minsheng.core import facts, selectors
        from minsheng.core.middleware import IdleSessionMiddleware

        # a new session starts its idle clock at login (so the first page writes nothing)
        user_logged_in.connect(IdleSessionMiddleware.started, dispatch_uid="minsheng-idle")
        facts.register(facts.Fact(
            "core.disabled", _("Holds a valid disability certificate"), module="minsheng.core",
            periods=selectors.disability_periods))
