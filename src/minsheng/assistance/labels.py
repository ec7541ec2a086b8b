"""Words for codes stored in assistance records (self-care activities and levels,
disability kinds), so pages never show the codes."""

from django.utils.translation import gettext_lazy as _

ADL_LABELS = {"eating": _("Eating"), "dressing": _("Dressing"),
              "transfer": _("Getting in and out of bed"),
              "toileting": _("Using the toilet"),
              "indoor_walking": _("Walking indoors"),
              "bathing": _("Bathing")}
CARE_LABELS = {"self_care": _("Fully self-caring"),
               "partly_dependent": _("Partly dependent on care"),
               "fully_dependent": _("Fully dependent on care")}
DISABILITY_LABELS = {"intellectual": _("Intellectual disability"),
                     "mental": _("Mental disability"),
                     "physical": _("Physical disability"),
                     "visual": _("Visual disability"),
                     "hearing": _("Hearing disability"),
                     "speech": _("Speech disability"),
                     "multiple": _("Multiple disabilities")}
