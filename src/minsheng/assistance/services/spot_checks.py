"""The district's random re-check of new tekun recognitions (TKRD art. 27): a reproducible
draw whose seed, population and result are stored."""

from __future__ import annotations

import datetime
import math
import secrets

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.assistance.config import setting
from minsheng.assistance.models import SpotCheckDraw, TekunCase
from minsheng.assistance.permissions import MANAGE
from minsheng.core import audit
from minsheng.core.access import as_actor, require
from minsheng.core.errors import ValidationFailed
from minsheng.core.models import Area, AuditEntry

MAX_SEED = 2**63 - 1  # the seed column is a 64-bit integer


def draw(population: list[int], seed: int, share: float) -> list[int]:
    """At least `share` of the population, drawn with `seed`: the same seed and population
    always give the same draw."""
    if not population:
        return []
    k = max(1, math.ceil(len(population) * share))
    rng = np.random.default_rng(seed)
    return sorted(int(x) for x in rng.choice(np.array(population), size=k, replace=False))


def spot_check_draw(*, actor, area: Area, start: datetime.date, end: datetime.date,
                    seed: int | None = None) -> SpotCheckDraw:
    """Draw at least the configured share of new extreme-poverty recognitions in the period
    for a district re-check."""
    actor = as_actor(actor)
    require(actor, MANAGE, area)
    if end < start:
        raise ValidationFailed(_("The period ends before it starts"), field="end")
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise ValidationFailed(_("The seed is a whole number"), field="seed")
    population = list(TekunCase.objects.filter(
        state="approved", decided_on__gte=start, decided_on__lte=end,
        area__path__startswith=area.path).order_by("pk").values_list("pk", flat=True))
    seed = secrets.randbits(48) if seed is None else seed
    share = setting("SPOT_CHECK_SHARE")
    drawn = draw(population, seed, share)
    with transaction.atomic():
        record = SpotCheckDraw.objects.create(area=area, seed=seed, share=share,
                                              population=population, drawn=drawn,
                                              period_start=start, period_end=end,
                                              drawn_by=actor.user if actor.is_authenticated
                                              else None)
        audit.record(actor, AuditEntry.Action.CREATE, obj=record,
                     changes={"drawn": [None, len(drawn)], "seed": [None, seed]})
    return record
