"""Words for a target assessment's reason, in the site's language (Chinese first).

indicators.projection stays free of Django and returns a reason key with its numbers;
this module turns them into a translatable sentence."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from minsheng.indicators.projection import Assessment


def _n(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def explain(assessment: Assessment) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _wording(assessment)


def _wording(a: Assessment) -> str:
    k, g = a.reason_key, {key: _n(v) for key, v in a.reason_args.items()}
    if "level" in a.reason_args:
        g["level"] = f"{a.reason_args['level']:.0%}"
    if "pace" in a.reason_args:
        g["pace"] = f"{a.reason_args['pace']:.0%}"
    if k == "annual_reached":
        return _("Year to date %(ytd)s already reaches the annual target %(target)s") % g
    if k == "annual_pace":
        return _("Year to date %(ytd)s against %(expected)s expected by now (%(pace)s of pace); "
                 "projected year total %(projected)s (range %(lo)s–%(hi)s) against "
                 "%(target)s") % g
    if k == "no_value":
        return _("The target has no value; only the direction of progress can be shown")
    if k == "too_few":
        return _("%(n)s observation(s); at least %(needed)s are needed") % g
    if k == "deadline_met":
        return _("Deadline passed; the value %(value)s on %(date)s met the target") % g
    if k == "deadline_missed":
        return _("Deadline passed; the value %(value)s on %(date)s missed the target") % g
    if k == "met_now":
        return _("Met now (%(current)s); projected %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s)") % g
    if k == "met_now_crossing":
        return _("Met now (%(current)s), but the projection %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s) crosses the target") % g
    if k == "not_met_now":
        return _("Not met now (%(current)s); projected %(projected)s at the deadline "
                 "(%(level)s interval %(lo)s–%(hi)s)") % g
    return a.reason
