"""National defaults for petitions (信访); districts override them with
settings.MINSHENG_PETITIONS = {"NAME": value, ...}. Each limit names its source.

Source: 《信访工作条例》(中共中央、国务院 2022年2月25日印发, 2022年5月1日起施行). Its limits
are counted in days ("日"), not working days, so the clocks run in calendar days
(`LIMIT_UNIT`). Article numbers are those of the 2022 text; see docs/petitions.md for how
they were checked."""

# Calendar days, as the regulation counts them. A district that counts working days by
# local rule sets "working_days" (casework.clocks.WORKING_DAYS).
LIMIT_UNIT = "days"

# 第二十二条、第二十三条: a petition received is registered and, within 15 days, transferred
# or assigned to the body with authority; the body receiving it tells the petitioner in
# writing whether it is accepted (国家信访局《关于进一步规范信访事项受理办理程序引导来访人
# 依法逐级走访的办法》(2014): "15日内决定是否受理并书面告知信访人").
ACCEPT_DAYS = 15

# 第三十三条第三款: handled within 60 days of acceptance; when complex, with the approval of
# the body's head, extended by at most 30 days, and the petitioner told why.
HANDLE_DAYS = 60
MAX_EXTENSION_DAYS = 30

# 第三十五条: a petitioner who disagrees with the reply may ask the body one level up for a
# review (复查) within 30 days of receiving the written reply; the review is decided and
# answered in writing within 30 days of the request.
REVIEW_REQUEST_DAYS = 30
REVIEW_DECIDE_DAYS = 30

# 第三十六条: a petitioner who disagrees with the review may ask for a re-review (复核)
# within 30 days; it is decided within 30 days of the request. A petition on the same
# facts and grounds after the re-review is not accepted again.
RE_REVIEW_REQUEST_DAYS = 30
RE_REVIEW_DECIDE_DAYS = 30

# Recusal (回避): staff with a direct interest in the matter or the petitioner step aside
# (《信访工作条例》, chapter on handling; the duty existed as art. 30 of the 2005
# 《信访条例》). The platform records who stepped aside and refuses their decisions.

# 第十九条: several people visiting on a common matter choose representatives, at most 5.
JOINT_REPRESENTATIVES_MAX = 5

# Repeat petitions (重复信访): an earlier petition of the same person on text at least this
# similar (character-bigram Dice coefficient, see petitions.similarity) within this many
# days is the same matter (district practice; tested on Chinese wording in
# tests/petitions/test_similarity.py).
REPEAT_SIMILARITY = 0.45
REPEAT_LOOKBACK_DAYS = 730

# Longest petition text the platform takes (a letter of about 15 pages); longer texts are
# attached as files by the office, never cut silently.
MAX_CONTENT_CHARS = 10_000
MIN_CONTENT_CHARS = 10

# The petition office's department code (core Organization.department_code).
DEPARTMENT_CODE = "petitions"

# Public pages, per client address per hour (a district choice against flooding and
# guessing; issue 20): online petitions submitted, status look-ups (reference + ID).
PUBLIC_SUBMISSIONS_PER_HOUR = 10
PUBLIC_STATUS_LOOKUPS_PER_HOUR = 30
