"""Words for a target assessment's reason, in the site's language (Chinese first).

indicators.projection stays free of Django and returns a reason key with its numbers;
this module turns them into a translatable sentence."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from minsheng.indicators.projection import Assessment, plain

# lazy: worded in the language active when a reason is written, not when this is imported
_MONTHS = [gettext_lazy(m) for m in ("January", "February", "March", "April", "May", "June",
                                     "July", "August", "September", "October", "November",
                                     "December")]
_KIND_WORDS = {"ceiling": pgettext_lazy("target kind", "ceiling"),
               "floor": pgettext_lazy("target kind", "floor"),
               "point": pgettext_lazy("target kind", "target")}
_UNITLESS = ("pace", "level", "n", "needed", "outliers", "year", "missing", "uniform", "kind",
             "unit", "date")


def explain(assessment: Assessment) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _wording(assessment)


def _wording(a: Assessment) -> str:
    args = a.reason_args
    unit = args.get("unit", "")
    # plain numbers with the unit (never 1.99e+04)
    g = {key: plain(v, unit) if isinstance(v, int | float) and not isinstance(v, bool)
         and key not in _UNITLESS else str(v) for key, v in args.items()}
    k = a.reason_key
    if "level" in args:
        g["level"] = f"{args['level']:.0%}"
    if "pace" in args:
        g["pace"] = f"{args['pace']:.0%}"
    extra = ""
    if args.get("missing"):
        extra += _("; no data for %(months)s (a gap, not counted as zero)") % {
            "months": ("、" if (translation.get_language() or "").startswith("zh") else ", ")
            .join(str(_MONTHS[m - 1]) for m in args["missing"])}
    if args.get("uniform"):
        extra += _("; an even spread over the year is assumed (no complete earlier year)")
    if args.get("outliers"):
        extra += _("; %(n)s outlier(s) left out of the fit") % {"n": args["outliers"]}
    if k == "annual_reached":
        return _("Year to date %(ytd)s already reaches the annual target %(target)s") % g
    if k == "annual_no_deadline_year":
        return _("The deadline year %(year)s is over and has no data") % g
    if args.get("latest_off_trend"):
        extra += _("; the latest value is far off the trend: check it")
    if k == "annual_final_gaps":
        return _("The deadline year %(year)s is over: %(ytd)s reported against the annual "
                 "target %(target)s") % g + extra
    if k == "annual_final_missed":
        return _("The deadline year %(year)s is over: its total %(ytd)s missed the annual "
                 "target %(target)s") % g
    if k == "annual_pace":
        return _("Year to date %(ytd)s against %(expected)s expected by now (%(pace)s of pace); "
                 "projected year total %(projected)s (range %(lo)s–%(hi)s) against "
                 "%(target)s") % g + extra
    if k == "no_value":
        return _("The target has no value; only the direction of progress can be shown")
    if k == "too_few":
        return _("%(n)s observation(s); at least %(needed)s are needed") % g
    if k == "too_few_breaks":
        return _("%(n)s observation(s); at least %(needed)s are needed; the latest value "
                 "%(value)s already breaks the %(kind)s %(target)s") % {
            **g, "kind": _KIND_WORDS.get(args.get("kind"), _KIND_WORDS["point"])}
    if k == "deadline_met":
        return _("Deadline passed; the value %(value)s on %(date)s met the target") % g
    if k == "deadline_missed":
        return _("Deadline passed; the value %(value)s on %(date)s missed the target") % g
    if k == "met_now":
        return _("Met now (%(current)s); projected %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s)") % g + extra
    if k == "met_now_crossing":
        return _("Met now (%(current)s), but the projection %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s) crosses the target") % g + extra
    if k == "not_met_now":
        return _("Not met now (%(current)s); projected %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s)") % g + extra
    return a.reason
