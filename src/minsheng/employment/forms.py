"""Reading the staff page forms (POST data) into service arguments.

Only parsing lives here: every rule is checked by the services, which raise
`ValidationFailed` with a field name; the page middleware shows the message."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from minsheng.core.errors import ValidationFailed
from minsheng.employment import occupations
from minsheng.employment.models import KEY_GROUPS, Shift

OCCUPATION_INPUTS = 3
SEPARATORS = re.compile(r"[,，、;；\n]+")
CODE_PREFIX = re.compile(r"^\s*(\d-\d{2}-\d{2}-\d{2})")


def date(value, field: str, *, required: bool = True) -> datetime.date | None:
    text = (value or "").strip()
    if not text and not required:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("Enter a date as YYYY-MM-DD"), field=field) from None


def month(value, field: str = "month") -> datetime.date:
    text = (value or "").strip()
    try:
        return datetime.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        raise ValidationFailed(_("Enter the report month as YYYY-MM"), field=field) from None


def integer(value, field: str, default: int = 0) -> int:
    text = str(value if value is not None else "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed(_("Enter a whole number"), field=field) from None


def words(value) -> list[str]:
    """Skills or certificates typed as one line, separated by commas or 、."""
    return [w.strip() for w in SEPARATORS.split(value or "") if w.strip()]


def occupation_code(value) -> str:
    """A code picked from the datalist ("4-02-07-02 快递员"), a bare code, or an exact
    occupation name."""
    text = (value or "").strip()
    if not text:
        return ""
    m = CODE_PREFIX.match(text)
    if m:
        return m.group(1)
    by_name = {n: c for c, n in occupations.occupations().items()}
    return by_name.get(text, text)


def occupation_choices() -> list[tuple[str, str]]:
    return sorted(occupations.occupations().items())


def seeker_args(post) -> dict:
    codes = [occupation_code(post.get(f"occupation_{i}", "")) for i in range(OCCUPATION_INPUTS)]
    return {
        "status": post.get("status", "unemployed"),
        "education": integer(post.get("education"), "education", 2),
        "major": post.get("major", ""),
        "occupation_codes": [c for c in codes if c],
        "skills": words(post.get("skills")),
        "certificates": words(post.get("certificates")),
        "experience_years": integer(post.get("experience_years"), "experience_years"),
        "salary_min": integer(post.get("salary_min"), "salary_min"),
        "salary_max": integer(post.get("salary_max"), "salary_max"),
        "max_commute_minutes": integer(post.get("max_commute_minutes"),
                                       "max_commute_minutes", 60),
        "shifts": [s for s in post.getlist("shifts") if s],
        "key_groups": [g for g in post.getlist("key_groups") if g],
        "summary": post.get("summary", ""),
    }


def posting_args(post) -> dict:
    return {
        "occupation_code": occupation_code(post.get("occupation_code")),
        "title": post.get("title", ""),
        "description": post.get("description", ""),
        "requirements": post.get("requirements", ""),
        "skills": words(post.get("skills")),
        "education_min": integer(post.get("education_min"), "education_min"),
        "experience_min": integer(post.get("experience_min"), "experience_min"),
        "salary_min": integer(post.get("salary_min"), "salary_min"),
        "salary_max": integer(post.get("salary_max"), "salary_max"),
        "openings": integer(post.get("openings"), "openings", 1),
        "shift": post.get("shift", "day"),
        "public_welfare": post.get("public_welfare") == "on",
        "valid_from": date(post.get("valid_from"), "valid_from", required=False),
        "valid_until": date(post.get("valid_until"), "valid_until", required=False),
        "contact_phone": post.get("contact_phone", "")[:20],
    }


REDUCTION_FIELDS = ("reduced_closure", "reduced_suspension", "reduced_layoff",
                    "reduced_contract", "reduced_other")


def headcount_args(post) -> dict:
    return {
        "month": month(post.get("month")),
        "baseline": integer(post.get("baseline"), "baseline"),
        "additions": integer(post.get("additions"), "additions"),
        "layoff_notice_date": date(post.get("layoff_notice_date"), "layoff_notice_date",
                                   required=False),
        "layoff_effective_date": date(post.get("layoff_effective_date"),
                                      "layoff_effective_date", required=False),
        **{f: integer(post.get(f), f) for f in REDUCTION_FIELDS},
    }


def flag_labels(flags) -> list[str]:
    """Fraud flags as a reviewer reads them ("fee:押金" -> 收费措辞：押金)."""
    labels = []
    for flag in flags or []:
        if flag.startswith("fee:"):
            labels.append(_("Fee or deposit wording: %(word)s") % {"word": flag[4:]})
        elif flag == "markup":
            labels.append(_("HTML markup in the posting text"))
        elif flag == "unrealistic_pay":
            labels.append(_("Unrealistic pay promised"))
        else:
            labels.append(flag)
    return labels


def key_group_label(code: str) -> str:
    # "Disabled" alone is translated as 禁用 (switched off) by other apps' catalogues.
    if code == "disabled":
        return _("Person with a disability (key group)")
    return str(KEY_GROUPS.get(code, code))


def key_group_choices() -> list[tuple[str, str]]:
    return [(code, key_group_label(code)) for code in KEY_GROUPS]


def shift_choices():
    return Shift.choices
