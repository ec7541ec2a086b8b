"""Demo data: 36 months of employment history simulated month by month with vectorised
draws (numpy), written with bulk inserts.

Targets for the default 20,000 people (scaled linearly): new urban jobs ~21,500 a year for
a district of 1,000,000 residents (the plan's target, so ~430 a year here) and a
registered unemployment rate near 3.3%. Four enterprises lay off staff (two in the last
quarter) so the warning page shows warnings with follow-ups.
"""

from __future__ import annotations

import datetime
import hashlib

import numpy as np
from django.utils import timezone

from minsheng.core.dates import add_months, month_start, next_month_start
from minsheng.core.models import Organization, Person
from minsheng.employment import occupation_map, occupations, screening
from minsheng.employment.matching.synthetic import SKILLS, SPECIALTY
from minsheng.employment.models import (
    AreaLocation,
    BenefitClaim,
    Contact,
    Employment,
    HeadcountReport,
    JobPosting,
    JobSeeker,
    Placement,
    UnemploymentRegistration,
)

REFERENCE_POPULATION = 1_000_000
MONTHS = 36
INDUSTRY_OCCUPATIONS = {
    "C": ["6-18-01-01", "6-18-01-07", "6-18-02-04", "6-20-01-01", "6-22-03-02", "6-25-04-01",
          "6-31-05-01", "6-31-01-03", "6-31-01-10", "2-02-07-06"],
    "E": ["6-29-01-03", "6-29-02-01", "6-29-03-06", "6-30-01-01", "2-02-18-02"],
    "F": ["4-01-02-01", "4-01-02-03", "4-01-02-04", "4-01-06-01"],
    "G": ["4-02-06-01", "4-02-06-03", "4-02-07-02", "4-02-02-02", "4-02-04-02"],
    "H": ["4-03-02-01", "4-03-02-05", "4-03-01-01", "4-03-02-03"],
    "I": ["2-02-10-03", "4-04-05-01", "4-04-05-03", "2-02-10-10", "4-04-05-05"],
    "K": ["4-06-01-01", "4-07-05-01", "4-09-07-01"],
    "L": ["4-07-03-02", "2-06-06-00", "3-01-02-01", "2-06-07-02"],
    "M": ["2-02-07-04", "2-02-14-01", "2-02-21-01"],
    "O": ["4-10-01-05", "4-10-01-06", "4-10-01-02", "4-12-01-01"],
    "R": ["2-08-08-01", "4-01-02-02"],
}
END_REASONS = ["contract_expiry", "resignation", "dismissal", "layoff"]


def _skills(code: str) -> list[str]:
    h = int(hashlib.sha1(code.encode()).hexdigest()[:8], 16)
    rng = np.random.default_rng(h)
    return [SKILLS[i] for i in rng.choice(len(SKILLS), 5, replace=False)]


def _ord(d: datetime.date) -> int:
    return d.toordinal()


def _day(o) -> datetime.date:
    return datetime.date.fromordinal(int(o))


# certificates a post of this occupation requires in the demo (and seekers of it often hold)
CERTIFICATE_BY_OCCUPATION = {"6-31-01-03": "电工证", "6-18-02-04": "焊工证",
                             "6-30-01-01": "叉车证", "4-03-02-01": "健康证",
                             "4-03-02-03": "健康证", "4-03-02-05": "健康证",
                             "6-29-03-03": "高处作业证", "4-07-05-01": "保安员证",
                             "4-10-01-05": "养老护理员证", "4-02-02-02": "A2驾驶证"}
DEMO_CENTRE = (39.1256, 117.1902)  # an illustrative district centre (WGS-84)


def _locations(ctx) -> dict[int, tuple[float, float]]:
    """A representative point for the district, each subdistrict (on a ring 3-7 km from
    the centre) and each community (within about 1.5 km of its subdistrict's point)."""
    rng = ctx.rng(41)
    lat0, lon0 = DEMO_CENTRE
    km_lat, km_lon = 1 / 111.0, 1 / (111.0 * np.cos(np.radians(lat0)))
    points = {ctx.district.pk: (lat0, lon0)}
    subs = sorted(ctx.subdistricts, key=lambda a: a.code)
    for i, sub in enumerate(subs):
        angle = 2 * np.pi * i / max(len(subs), 1)
        r = 3 + 4 * rng.random()
        points[sub.pk] = (lat0 + r * np.sin(angle) * km_lat, lon0 + r * np.cos(angle) * km_lon)
    for com in sorted(ctx.communities, key=lambda a: a.code):
        base = points.get(com.parent_id, (lat0, lon0))
        dx, dy = rng.normal(0, 0.8, 2)
        points[com.pk] = (base[0] + dy * km_lat, base[1] + dx * km_lon)
    AreaLocation.objects.bulk_create([
        AreaLocation(area_id=a, latitude=round(la, 6), longitude=round(lo, 6),
                     source="demo") for a, (la, lo) in points.items()])
    return points


def build(ctx) -> None:
    points = _locations(ctx)
    rng = ctx.rng(4)
    scale = ctx.people / 20_000
    today = ctx.today
    month_starts = [add_months(month_start(today), i - (MONTHS - 1)) for i in range(MONTHS)]
    start = month_starts[0]

    enterprises = list(Organization.objects.filter(kind="enterprise").order_by("id")
                       .values_list("id", "industry_code", "area_id"))
    if not enterprises:
        return
    ent_ids = np.array([e[0] for e in enterprises])
    ent_area = np.array([e[2] for e in enterprises])
    ent_sector = [(e[1] or "C")[:1] for e in enterprises]
    size_w = 1.0 / np.arange(1, len(ent_ids) + 1) ** 0.8
    size_w = rng.permutation(size_w / size_w.sum())

    lo = _ord(today) - 59 * 365
    hi = _ord(today) - 18 * 365
    pool = list(Person.objects.filter(status="living", birth_date__gt=_day(lo),
                                      birth_date__lte=_day(hi)).order_by("id")
                .values_list("id", "residence_area_id", "birth_date", "sex"))
    n = len(pool)
    pid = np.array([p[0] for p in pool])
    parea = np.array([p[1] for p in pool])
    age = (_ord(today) - np.array([_ord(p[2]) for p in pool])) / 365.25
    female = np.array([p[3] == "F" for p in pool])

    # spells: parallel lists of arrays
    sp = {k: [] for k in ("person", "employer", "start", "kind", "end", "reason", "insured")}
    emp_spell = np.full(n, -1)
    emp_employer = np.full(n, -1)
    spell_end = []  # filled as spells end
    spell_reason = []
    count = [0]

    def open_spells(people, employers, day_ord, kind):
        k = len(people)
        ids = np.arange(count[0], count[0] + k)
        count[0] += k
        sp["person"].append(people)
        sp["employer"].append(employers)
        sp["start"].append(np.broadcast_to(day_ord, (k,)).copy() if np.isscalar(day_ord)
                           else day_ord)
        sp["kind"].append(np.full(k, kind))
        sp["insured"].append(rng.random(k) < 0.96)
        spell_end.extend([0] * k)
        spell_reason.extend([""] * k)
        emp_spell[people] = ids
        emp_employer[people] = employers

    def close_spells(people, day_ords, reasons):
        for person, d, r in zip(people, day_ords, reasons, strict=True):
            s = emp_spell[person]
            spell_end[s] = int(d)
            spell_reason[s] = r
        emp_spell[people] = -1

    # initial stock at the start of the window
    employed0 = np.flatnonzero(rng.random(n) < np.where(age < 22, 0.35, 0.72))
    open_spells(employed0, rng.choice(len(ent_ids), len(employed0), p=size_w),
                _ord(start) - rng.integers(30, 3650, len(employed0)), "new")
    # registrations
    reg = {k: [] for k in ("person", "date", "close", "close_reason", "sep", "contrib")}
    reg_open = np.full(n, -1)

    def register(people, day_ords, seps):
        for person, d, s in zip(people, day_ords, seps, strict=True):
            reg_open[person] = len(reg["person"])
            reg["person"].append(person)
            reg["date"].append(int(d))
            reg["close"].append(0)
            reg["close_reason"].append("")
            reg["sep"].append(s)
            reg["contrib"].append(round(float(rng.uniform(0.3, 16)), 1))

    not_emp = np.flatnonzero(emp_spell < 0)
    u0 = rng.choice(not_emp, min(len(not_emp), int(0.034 * len(employed0))), replace=False)
    register(u0, _ord(start) - rng.integers(1, 365, len(u0)),
             rng.choice(END_REASONS, len(u0)))
    placements = []  # (person, employer, day, registration index)
    # planted layoffs: (month index, enterprise rank by size, people, notice days)
    big = np.argsort(-size_w)
    planted = {MONTHS - 2: (big[0], 0.12, 40), MONTHS - 3: (big[2], 0.15, 12),
               14: (big[1], 0.11, 35), 24: (big[4], 0.2, 0)}
    layoff_notes = {}

    for m, first in enumerate(month_starts):
        nxt = next_month_start(first)
        last_day = min(_ord(nxt) - 1, _ord(today))
        if last_day < _ord(first):
            break
        span = last_day - _ord(first) + 1

        def days(k, _first=first, _span=span):
            return _ord(_first) + rng.integers(0, _span, k)
        employed = np.flatnonzero(emp_spell >= 0)
        # natural attrition: retirement (the oldest) and deaths
        k_att = rng.binomial(len(employed), 0.0012)
        old = employed[np.argsort(-age[employed])][:max(k_att * 3, 1)]
        gone = rng.choice(old, min(k_att, len(old)), replace=False)
        close_spells(gone, days(len(gone)),
                     np.where(rng.random(len(gone)) < 0.9, "retirement", "death"))
        # separations into unemployment
        employed = np.flatnonzero(emp_spell >= 0)
        k_sep = rng.binomial(len(employed), 0.004)
        sep = rng.choice(employed, k_sep, replace=False)
        reasons = rng.choice(END_REASONS, k_sep, p=[0.4, 0.4, 0.17, 0.03])
        if m in planted:
            ent, share, notice = planted[m]
            staff = employed[emp_employer[employed] == ent]
            laid = rng.choice(staff, max(1, int(len(staff) * share)), replace=False)
            laid = np.setdiff1d(laid, sep)
            effective = _ord(first) + 14
            sep = np.concatenate([sep, laid])
            reasons = np.concatenate([reasons, np.full(len(laid), "layoff")])
            layoff_notes[(int(ent), m)] = (effective - notice if notice else None, effective)
        sep_days = days(len(sep))
        if m in planted:
            sep_days[-len(laid):] = layoff_notes[(int(planted[m][0]), m)][1]
        close_spells(sep, sep_days, reasons)
        registers = rng.random(len(sep)) < np.where(np.isin(reasons, ["layoff",
                                                                       "contract_expiry"]),
                                                    0.85, 0.6)
        reg_days = np.minimum(sep_days + rng.integers(1, 20, len(sep)), _ord(today))
        already = reg_open[sep] >= 0
        register(sep[registers & ~already], reg_days[registers & ~already],
                 reasons[registers & ~already])
        # transfers between employers (not new jobs)
        employed = np.flatnonzero(emp_spell >= 0)
        tr = rng.choice(employed, rng.binomial(len(employed), 0.004), replace=False)
        tr_days = days(len(tr))
        close_spells(tr, tr_days, np.full(len(tr), "transfer"))
        open_spells(tr, rng.choice(len(ent_ids), len(tr), p=size_w), tr_days, "transfer")
        # hires: registered unemployed (placements) and others (graduates, returners)
        open_regs = np.flatnonzero(reg_open >= 0)
        hired = open_regs[rng.random(len(open_regs)) < 0.095]
        reg_dates = np.array([reg["date"][reg_open[p]] for p in hired], dtype=int)
        hire_days = np.maximum(days(len(hired)), reg_dates + 1)
        ok = hire_days <= _ord(today)
        hired, hire_days = hired[ok], hire_days[ok]
        employers = rng.choice(len(ent_ids), len(hired), p=size_w)
        for person, d, e in zip(hired, hire_days, employers, strict=True):
            r = reg_open[person]
            reg["close"][r], reg["close_reason"][r] = int(d), "employed"
            placements.append((person, e, int(d), r))
            reg_open[person] = -1
        open_spells(hired, employers, hire_days, "new")
        idle = np.flatnonzero((emp_spell < 0) & (reg_open < 0))
        k_other = max(0, int(round(rng.normal(20 * scale, 3 * np.sqrt(scale)))))
        others = rng.choice(idle, min(k_other, len(idle)), replace=False)
        open_spells(others, rng.choice(len(ent_ids), len(others), p=size_w),
                    days(len(others)), "new")
        # some registrations end for other reasons
        open_regs = np.flatnonzero(reg_open >= 0)
        leave = open_regs[rng.random(len(open_regs)) < 0.01]
        for person in leave:
            r = reg_open[person]
            d = max(int(days(1)[0]), reg["date"][r])
            reg["close"][r] = d
            reg["close_reason"][r] = str(rng.choice(["moved", "retired", "no_contact"]))
            reg_open[person] = -1

    _write(ctx, rng, locals())


def _write(ctx, rng, v) -> None:
    sp, pid, parea, ent_ids, ent_area = v["sp"], v["pid"], v["parea"], v["ent_ids"], \
        v["ent_area"]
    ent_sector, today, month_starts = v["ent_sector"], v["today"], v["month_starts"]
    person = np.concatenate(sp["person"])
    employer = np.concatenate(sp["employer"])
    start = np.concatenate(sp["start"])
    kind = np.concatenate(sp["kind"])
    insured = np.concatenate(sp["insured"])
    end = np.array(v["spell_end"])
    reason = np.array(v["spell_reason"])
    occ = [rng.choice(INDUSTRY_OCCUPATIONS.get(ent_sector[e], INDUSTRY_OCCUPATIONS["C"]))
           for e in employer]
    Employment.objects.bulk_create([
        Employment(person_id=int(pid[p]), employer_id=int(ent_ids[e]),
                   residence_area_id=int(parea[p]), workplace_area_id=int(ent_area[e]),
                   start_date=_day(s), start_kind=k, end_date=_day(d) if d else None,
                   end_reason=r, insured=bool(i), occupation_code=o)
        for p, e, s, k, d, r, i, o in zip(person, employer, start, kind, end, reason,
                                          insured, occ, strict=True)], batch_size=5000)
    last_occ = {}
    for p, o in zip(person, occ, strict=True):
        last_occ[int(p)] = o
    # job seekers: everyone ever registered, plus graduates and people seeking while employed
    reg = v["reg"]
    age = v["age"]
    female = v["female"]
    reg_people = sorted(set(reg["person"]))
    young_idle = np.flatnonzero((age < 25) & (v["emp_spell"] < 0))
    extra_grad = rng.choice(young_idle, min(len(young_idle), int(60 * v["scale"])),
                            replace=False)
    employed_now = np.flatnonzero(v["emp_spell"] >= 0)
    extra_emp = rng.choice(employed_now, min(len(employed_now), int(60 * v["scale"])),
                           replace=False)
    open_by_person = {reg["person"][i]: i for i in range(len(reg["person"]))
                      if not reg["close"][i]}
    seekers = []
    all_people = list(dict.fromkeys([*reg_people, *extra_grad.tolist(), *extra_emp.tolist()]))
    emp_now = set(employed_now.tolist())
    for p in all_people:
        code = last_occ.get(p) or str(rng.choice(INDUSTRY_OCCUPATIONS[
            str(rng.choice(list(INDUSTRY_OCCUPATIONS)))]))
        codes = [code]
        if rng.random() < 0.4:
            siblings = [c for c in occupations.occupations() if c[:4] == code[:4] and c != code]
            if siblings:
                codes.append(str(rng.choice(siblings)))
        groups = []
        a = age[p]
        if a < 25 and rng.random() < 0.6:
            groups.append("graduate")
        if (female[p] and a >= 40) or (not female[p] and a >= 50):
            groups.append("g4050")
        for g, share in (("veteran", 0.04), ("migrant", 0.1), ("disabled", 0.03),
                         ("dibao", 0.03), ("zero_employment", 0.02)):
            if rng.random() < share:
                groups.append(g)
        if p in open_by_person and (_ord(today) - reg["date"][open_by_person[p]]) > 365:
            groups.append("long_term")
        status = ("unemployed" if p in open_by_person else
                  "seeking_employed" if p in emp_now else
                  "student" if p in set(extra_grad.tolist()) else "employed")
        skills = list(rng.choice(_skills(code), rng.integers(2, 5), replace=False))
        edu = int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.25, 0.2]))
        if "graduate" in groups:
            edu = max(edu, 3)
        smin = int(rng.integers(25, 70)) * 100
        cert = CERTIFICATE_BY_OCCUPATION.get(code)
        held = [cert] if cert and rng.random() < 0.6 else []
        wanted_text, suggestions = "", []
        aliases = occupation_map.ALIASES.get(code)
        if aliases and rng.random() < 0.3:  # said in words; 1 in 3 not yet confirmed
            wanted_text = f"想找{aliases[int(rng.integers(len(aliases)))]}方面的工作"
            suggestions = occupation_map.suggest(wanted=wanted_text, skills=skills)
            if rng.random() < 0.33:
                codes = []
        seekers.append(JobSeeker(
            person_id=int(pid[p]), area_id=int(parea[p]), status=status, education=edu,
            major="" if edu < 3 else str(rng.choice(["机械工程", "计算机科学", "物流管理",
                                                    "护理", "会计", "市场营销"])),
            occupation_codes=codes, skills=skills, certificates=held,
            wanted_text=wanted_text, occupation_suggestions=suggestions,
            experience_years=int(min(a - 18, 20)
                                                                        * rng.random()),
            salary_min=smin, salary_max=smin + int(rng.integers(10, 40)) * 100,
            max_commute_minutes=int(rng.choice([30, 45, 60, 60])),
            shifts=[] if rng.random() < 0.6 else ["day"], key_groups=groups,
            difficulty=bool(set(groups) & {"g4050", "disabled", "dibao", "zero_employment",
                                           "long_term"}),
            graduation_year=today.year if "graduate" in groups else None,
            summary=f"有{SPECIALTY[int(rng.integers(len(SPECIALTY)))]}相关经历，"
                    f"希望从事{occupations.name(code)}工作"))
    JobSeeker.objects.bulk_create(seekers, batch_size=2000)
    seeker_of = dict(JobSeeker.objects.filter(person_id__in=[int(pid[p]) for p in all_people])
                     .values_list("person_id", "id"))
    seeker_meta = {s.person_id: s for s in seekers}
    # registrations, benefits, placements
    regs = [UnemploymentRegistration(
        seeker_id=seeker_of[int(pid[p])], area_id=int(parea[p]), registered_on=_day(d),
        separation_reason=str(s), contribution_years=c,
        closed_on=_day(cl) if cl else None, close_reason=cr, state="closed" if cl else "open")
        for p, d, cl, cr, s, c in zip(reg["person"], reg["date"], reg["close"],
                                      reg["close_reason"], reg["sep"], reg["contrib"],
                                      strict=True)]
    UnemploymentRegistration.objects.bulk_create(regs, batch_size=2000)
    reg_ids = list(UnemploymentRegistration.objects.order_by("id").values_list("id", flat=True))
    reg_ids = reg_ids[-len(regs):]
    from minsheng.employment.config import setting

    amount = round(setting("MINIMUM_WAGE_MONTHLY") * setting("BENEFIT_SHARE_OF_MINIMUM_WAGE"),
                   2)
    claims = []
    for i, r in enumerate(regs):
        years = float(r.contribution_years)
        if r.separation_reason not in setting("INVOLUNTARY_SEPARATIONS") or years < 1:
            continue
        months = 24 if years >= 10 else 18 if years >= 5 else 12
        s = r.registered_on + datetime.timedelta(days=5)
        if s > today:
            continue
        e = add_months(s, months)
        stopped = r.closed_on is not None and r.closed_on < e
        claims.append(BenefitClaim(
            registration_id=reg_ids[i], seeker_id=r.seeker_id, area_id=r.area_id,
            start_date=s, months=months, monthly_amount=amount,
            end_date=r.closed_on if stopped else e,
            state="ended" if stopped or e <= today else "paying",
            rule_basis="社会保险法第45-47条；失业保险条例第14、17条"))
    BenefitClaim.objects.bulk_create(claims, batch_size=2000)
    Placement.objects.bulk_create([
        Placement(seeker_id=seeker_of[int(pid[p])], employer_id=int(ent_ids[e]),
                  area_id=int(parea[p]), placed_on=_day(d), source="insurance",
                  difficulty=seeker_meta[int(pid[p])].difficulty,
                  graduate="graduate" in seeker_meta[int(pid[p])].key_groups)
        for p, e, d, _r in v["placements"]], batch_size=2000)
    _postings(ctx, rng, ent_ids, ent_area, ent_sector, today, v["points"])
    _headcounts(v, person, employer, start, end, reason, month_starts)
    _contacts(ctx, rng, today)
    _warnings_and_matching(ctx, today)


def _postings(ctx, rng, ent_ids, ent_area, ent_sector, today, points) -> None:
    n = max(30, int(ctx.people / 55))
    rows = []
    hrss = ctx.departments.get("hrss")
    for i in range(n + 40):
        e = int(rng.integers(len(ent_ids)))
        code = str(rng.choice(INDUSTRY_OCCUPATIONS.get(ent_sector[e], INDUSTRY_OCCUPATIONS["C"])))
        name = occupations.name(code)
        spec = SPECIALTY[int(rng.integers(len(SPECIALTY)))]
        skills = list(rng.choice(_skills(code), rng.integers(2, 5), replace=False))
        smin = int(rng.integers(30, 80)) * 100
        state = "published" if i < n else ("pending" if i < n + 20 else "closed")
        title = f"{name}（{spec}）"
        description = (f"因业务发展需要，招聘{name}{int(rng.integers(1, 6))}名，从事{spec}方向"
                       f"相关工作。岗位职责：按规程完成{name}日常工作，做好记录与交接。"
                       f"福利：五险一金、带薪年假、工作餐。")
        flags = []
        if state == "pending" and i % 4 == 0:
            description += "入职需先交押金500元及培训费，可办理培训贷。"
            flags = screening.screen(title, description)
        public_welfare = hrss is not None and i % 40 == 7
        cert = CERTIFICATE_BY_OCCUPATION.get(code)
        required = [cert] if cert and rng.random() < 0.8 else []
        requirements = f"掌握{'、'.join(skills)}" + (f"，须持{cert}上岗" if required else "")
        if state == "published" and i % 23 == 5:  # published after review despite a flag
            description += "上岗前需交工服费200元，首月工资中返还。"
            flags = screening.screen(title, description)
        base = points.get(int(ent_area[e]), DEMO_CENTRE)
        lat, lon = (base[0] + float(rng.normal(0, 0.004)),
                    base[1] + float(rng.normal(0, 0.005)))
        valid_from = today - datetime.timedelta(days=int(rng.integers(0, 60)))
        rows.append(JobPosting(
            employer_id=int(ent_ids[e]), area_id=int(ent_area[e]), occupation_code=code,
            title=("公益性岗位·" + title) if public_welfare else title,
            description=description, requirements=requirements,
            skills=skills, certificates_required=required,
            latitude=round(lat, 6), longitude=round(lon, 6),
            education_min=int(rng.choice([0, 1, 2, 3], p=[.3, .3, .3, .1])),
            experience_min=int(rng.choice([0, 0, 1, 2, 3])), salary_min=smin,
            salary_max=smin + int(rng.integers(5, 40)) * 100,
            openings=int(rng.integers(1, 8)), shift=str(rng.choice(
                ["day", "day", "day", "rotating", "night", "flexible"])),
            public_welfare=public_welfare, valid_from=valid_from,
            valid_until=(today + datetime.timedelta(days=int(rng.integers(10, 90)))
                         if state != "closed" else today - datetime.timedelta(days=5)),
            state=state, fraud_flags=flags,
            reviewed_at=timezone.now() if state == "published" else None,
            review_note="已电话核实：工服费首月返还，书面约定" if flags and state == "published"
            else ""))
    JobPosting.objects.bulk_create(rows, batch_size=2000)


def _headcounts(v, person, employer, start, end, reason, month_starts) -> None:
    """Monthly reports per enterprise derived from the spells (set-based bincounts)."""
    ent_ids = v["ent_ids"]
    n_e, n_m = len(ent_ids), len(month_starts)
    bounds = np.array([_ord(m) for m in month_starts] + [_ord(
        next_month_start(month_starts[-1]))])
    active0 = (start < bounds[0]) & ((end == 0) | (end >= bounds[0]))
    base0 = np.bincount(employer[active0], minlength=n_e)
    started = np.searchsorted(bounds, start, side="right") - 1
    add_ok = (started >= 0) & (started < n_m)
    adds = np.zeros((n_e, n_m))
    np.add.at(adds, (employer[add_ok], started[add_ok]), 1)
    ended = np.where(end > 0, np.searchsorted(bounds, end, side="right") - 1, -1)
    red = {k: np.zeros((n_e, n_m)) for k in ("layoff", "contract", "closure", "other")}
    groups = {"layoff": reason == "layoff", "contract": reason == "contract_expiry"}
    groups["other"] = ~(groups["layoff"] | groups["contract"])
    for k, mask in groups.items():
        ok = mask & (ended >= 0) & (ended < n_m)
        np.add.at(red[k], (employer[ok], ended[ok]), 1)
    total_red = sum(red.values())
    baseline = base0[:, None] + np.cumsum(adds - total_red, axis=1) - (adds - total_red)
    notes = v["layoff_notes"]
    rows = []
    for e in range(n_e):
        for m in range(n_m):
            if baseline[e, m] <= 0 and adds[e, m] == 0:
                continue
            note = notes.get((e, m))
            rows.append(HeadcountReport(
                enterprise_id=int(ent_ids[e]), month=month_starts[m],
                baseline=int(baseline[e, m]), additions=int(adds[e, m]),
                reduced_layoff=int(red["layoff"][e, m]),
                reduced_contract=int(red["contract"][e, m]),
                reduced_other=int(red["other"][e, m]),
                layoff_notice_date=_day(note[0]) if note and note[0] else None,
                layoff_effective_date=_day(note[1]) if note else None))
    HeadcountReport.objects.bulk_create(rows, batch_size=5000)


def _contacts(ctx, rng, today) -> None:
    from minsheng.core.models import User

    worker = User.objects.filter(username="jobs").first()
    rows = []
    for s in JobSeeker.objects.filter(difficulty=True, status="unemployed").order_by("id"):
        if rng.random() < 0.8:
            d = today - datetime.timedelta(days=int(rng.integers(1, 50)))
            rows.append(Contact(seeker=s, contacted_on=d, channel=str(rng.choice(
                ["visit", "phone", "office"])), note="了解求职意向，推送岗位信息",
                outcome="已推荐岗位", by=worker))
    Contact.objects.bulk_create(rows, batch_size=2000)
    last = {}
    for c in rows:
        last[c.seeker_id] = max(last.get(c.seeker_id, c.contacted_on), c.contacted_on)
    for sid, d in last.items():
        JobSeeker.objects.filter(pk=sid).update(
            last_contact_on=d, plan="1. 每月至少联系一次；2. 推荐匹配岗位；3. 视需要安排技能培训。",
            caseworker=worker)


def _warnings_and_matching(ctx, today) -> None:
    from minsheng.employment import matchdata, services
    from minsheng.employment.sources import months

    start = [m for m, _ in months(today - datetime.timedelta(days=MONTHS * 30), today)][0]
    since = month_start(month_start(today) - datetime.timedelta(days=75))
    made = services.warnings_scan(actor=ctx.actor, start=start, end=today, today=today,
                                  followups_since=since)
    s, p, v, r = matchdata.recommend_batch(matchdata.active_seekers().order_by("id"), top=10,
                                           today=today, reset_exposure=True)
    stored = services.recommendations_store(actor=ctx.actor, seeker_ids=s, posting_ids=p,
                                            scores=v, reasons=r, period=today.replace(day=1))
    ctx.notes.append(f"employment: {JobSeeker.objects.count()} job seekers, "
                     f"{JobPosting.objects.filter(state='published').count()} published posts, "
                     f"{len(made)} warnings, {stored} recommendations")
