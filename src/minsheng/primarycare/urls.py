from django.urls import path

from minsheng.primarycare import views

app_name = "primarycare"
urlpatterns = [
    path("", views.home, name="home"),
    path("teams/", views.teams, name="teams"),
    path("alliances/new/", views.alliance_new, name="alliance_new"),
    path("contracts/", views.contracts, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/act/<slug:name>/", views.contract_act, name="contract_act"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/act/<slug:name>/", views.referral_act, name="referral_act"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/import/", views.enrolments_import, name="import"),
    path("coverage/uninsured/", views.uninsured, name="uninsured"),
    path("coverage/links/", views.links, name="links"),
    path("coverage/links/<int:pk>/", views.link_decide, name="link_decide"),
    path("outreach/", views.outreach, name="outreach"),
    path("outreach/new/", views.outreach_new, name="outreach_new"),
    path("outreach/<int:pk>/", views.outreach_case, name="outreach_case"),
    path("outreach/<int:pk>/act/<slug:name>/", views.outreach_act, name="outreach_act"),
]
