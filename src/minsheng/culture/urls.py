from django.urls import path

from minsheng.culture.views import checks, facilities, intangible, register

app_name = "culture"

urlpatterns = [
    path("", register.home, name="home"),
    path("sites/", register.site_list, name="sites"),
    path("sites/new/", register.site_new, name="site_new"),
    path("sites/<int:pk>/", register.site_detail, name="site"),
    path("sites/<int:pk>/edit/", register.site_edit, name="site_edit"),
    path("sites/<int:pk>/zones/", register.zone_set, name="zone_set"),
    path("sites/<int:pk>/patrols/", register.patrol_add, name="patrol_add"),
    path("zones/import/", register.zones_import, name="zones_import"),
    path("checks/", checks.check_list, name="checks"),
    path("checks/new/", checks.check_new, name="check_new"),
    path("checks/<int:pk>/", checks.check_detail, name="check"),
    path("consents/", checks.consent_list, name="consents"),
    path("consents/<int:pk>/", checks.consent_detail, name="consent"),
    path("intangible/", intangible.item_list, name="items"),
    path("intangible/new/", intangible.item_new, name="item_new"),
    path("intangible/<int:pk>/", intangible.item_detail, name="item"),
    path("intangible/<int:pk>/nominate/", intangible.nominate, name="nominate"),
    path("inheritors/<int:pk>/act/", intangible.inheritor_act, name="inheritor_act"),
    path("inheritors/<int:pk>/evaluate/", intangible.evaluate, name="evaluate"),
    path("facilities/", facilities.facility_list, name="facilities"),
    path("facilities/new/", facilities.facility_new, name="facility_new"),
    path("facilities/<int:pk>/edit/", facilities.facility_edit, name="facility_edit"),
]
