"""A petition (信访事项): who brought it, what about, which department handles it, and the
dates every legal time limit runs from. The state is the casework workflow's
(`workflows.PETITION`); `current_due` is the limit running now, for lists and the sweep."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.casework.models import CaseBase
from minsheng.core.models import Organization, Person
from minsheng.petitions.workflows import PETITION


class Petition(CaseBase):
    class Channel(models.TextChoices):
        VISIT = "visit", _("Visit")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone")
        ONLINE = "online", _("Online")

    class Category(models.TextChoices):
        # 《信访工作条例》第三十条 (the three kinds of petition)
        SUGGESTION = "suggestion", _("Suggestion or opinion")
        ACCUSATION = "accusation", _("Report or accusation")
        CLAIM = "claim", _("Appeal or claim")

    class Satisfaction(models.TextChoices):
        NONE = "", _("Not rated")
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Unsatisfied")

    workflow = PETITION

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("kind"), max_length=12, choices=Category.choices)
    # The petitioner: linked to the register when the ID and name match a resident; the
    # details as given are kept either way (people from elsewhere petition too).
    petitioner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="petitions", verbose_name=_("petitioner"))
    petitioner_name = models.CharField(_("petitioner's name"), max_length=60)
    petitioner_id_number = models.CharField(_("petitioner's ID number"), max_length=18,
                                            db_index=True)
    petitioner_phone = models.CharField(_("petitioner's phone"), max_length=20, blank=True)
    petitioner_address = models.CharField(_("petitioner's address"), max_length=300,
                                          blank=True)
    joint_count = models.PositiveIntegerField(_("people petitioning together"), default=1)
    representatives = models.CharField(_("representatives"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    department = models.ForeignKey(Organization, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("handling department"))
    received_on = models.DateField(_("received on"))
    accept_due = models.DateField(_("acceptance decision due"))
    decided_on = models.DateField(_("acceptance decided on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decision_note = models.TextField(_("acceptance notice"), blank=True)
    handle_due = models.DateField(_("handling due"), null=True, blank=True)
    extension_days = models.PositiveIntegerField(_("extension (days)"), default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500,
                                        blank=True)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=100,
                                             blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply = models.TextField(_("written reply"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12,
                                    choices=Satisfaction.choices, blank=True, default="")
    rated_on = models.DateField(null=True, blank=True)
    review_requested_on = models.DateField(_("review requested on"), null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    re_review_requested_on = models.DateField(_("re-review requested on"), null=True,
                                              blank=True)
    re_review_due = models.DateField(null=True, blank=True)
    re_reviewed_on = models.DateField(_("re-reviewed on"), null=True, blank=True)
    re_review_opinion = models.TextField(_("re-review opinion"), blank=True)
    # The first petition on the same matter by the same person (repeat petitions link to
    # it) and how similar the texts were.
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="repeats", verbose_name=_("repeat of"))
    repeat_similarity = models.FloatField(null=True, blank=True)
    # Staff who stepped aside (回避) because they have a direct interest in the matter or
    # the petitioner: user ids; they can no longer decide, reply or review this petition.
    recused = models.JSONField(default=list, blank=True)
    current_due = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["area", "state"]),
                   models.Index(fields=["state", "current_due"]),
                   models.Index(fields=["petitioner_id_number", "received_on"])]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self):
        return f"{self.reference} {self.subject}"
