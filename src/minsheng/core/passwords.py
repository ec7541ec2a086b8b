"""Password rules beyond Django's: a staff password mixes kinds of characters (MLPS level
3 asks for complexity as well as length)."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = (str.isupper, str.islower, str.isdigit,
         lambda c: c in string.punctuation or c == " " or not c.isascii())


class CharacterKindsValidator:
    """At least `kinds` of: upper case, lower case, digits, other characters."""

    def __init__(self, kinds: int = 3):
        self.kinds = kinds

    def validate(self, password, user=None):
        used = sum(any(test(c) for c in password) for test in KINDS)
        if used < self.kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("Your password must mix at least %(kinds)d of: upper-case letters, "
                 "lower-case letters, digits, other characters.") % {"kinds": self.kinds}
