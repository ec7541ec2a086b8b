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
FINDING_KINDS = {"undeclared_wages": _("Undeclared wages"),
                 "undeclared_income": _("Undeclared income"),
                 "undeclared_property": _("Undeclared real estate"),
                 "undeclared_vehicle": _("Undeclared vehicle"),
                 "undeclared_business": _("Undeclared business"),
                 "undeclared_deposits": _("Undeclared deposits")}
MATCHES = {"exact": _("Exact (ID number)"), "fuzzy": _("Possible (name and birth date)")}
INCOME_ITEMS = {"wages": _("Wages"), "business": _("Business income"),
                "property": _("Property income"), "transfers": _("Transfer income"),
                "other": _("Other income"),
                "veterans_benefits": _("Veterans' benefits (not counted)"),
                "family_planning_reward": _("Family-planning rewards (not counted)"),
                "scholarship": _("Scholarships (not counted)"),
                "bravery_award": _("Bravery awards (not counted)"),
                "assistance_payment": _("Assistance payments (not counted)"),
                "pension_central_basic": _("Basic pension, central part (not counted)"),
                "disability_cost": _("Disability costs (deducted)"),
                "serious_illness_cost": _("Serious-illness costs (deducted)"),
                "work_expenses": _("Work expenses (deducted)")}
