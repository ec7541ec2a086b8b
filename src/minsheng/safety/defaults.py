"""National defaults for work safety; districts override them with
settings.MINSHENG_SAFETY = {"NAME": value, ...}. Each number names its source."""

# --- Hidden hazards (事故隐患) ---------------------------------------------------------
# 《安全生产事故隐患排查治理暂行规定》(国家安全监管总局令第16号) 第十五条: general hazards
# are rectified at once by the unit; the order's deadline is set by the inspector. Default
# deadline offered when an order is issued without one:
GENERAL_RECTIFY_WORKING_DAYS = 10
# 同规定 第十四条: a major hazard is reported to the supervising department "at once";
# the district expects the report within 1 working day.
MAJOR_REPORT_WORKING_DAYS = 1
# Major hazard rectification plan due after the hazard is found (district practice).
MAJOR_PLAN_WORKING_DAYS = 10
# 同规定 第十八条: after the enterprise applies, the department reviews on site within
# 10 days ("收到申请报告之日起10日内").
ACCEPTANCE_REVIEW_DAYS = 10
# 《安全生产法》第七十八条 / 政府信息公开条例 第二十条: listing (挂牌督办) and write-off (销号)
# are published; district rule: within 5 working days.
PUBLISH_WORKING_DAYS = 5
# Categories offered when a hazard is recorded (district practice: one list to choose
# from, so that one kind of hazard keeps one name in the statistics; the page also offers
# the categories already in use). Free text stays possible for the unusual case.
HAZARD_CATEGORIES = ["电气安全", "消防安全", "危险化学品", "特种设备", "有限空间作业",
                     "粉尘防爆", "高处作业", "机械设备", "建筑施工", "安全管理"]
# Hazard statistics: 第十四条 — quarterly by the 15th of the next quarter's first month,
# annual by 31 January of the next year.
QUARTERLY_REPORT_DAY = 15
ANNUAL_REPORT_MONTH_DAY = (1, 31)

# --- "Double random, one public" (双随机、一公开) ---------------------------------------
# 国务院办公厅关于推广随机抽查规范事中事后监管的通知 (国办发〔2015〕58号): at least two
# law-enforcement officers per inspection; results published within 20 working days.
INSPECTORS_PER_CHECK = 2
INSPECTION_PUBLISH_WORKING_DAYS = 20

# --- GB 18218-2018 危险化学品重大危险源辨识 -----------------------------------------------
# Table 4: correction factor alpha by exposed population within 500 m of the site.
ALPHA_BY_POPULATION = [(100, 2.0), (50, 1.5), (30, 1.2), (1, 1.0), (0, 0.5)]
# Table 5: grade thresholds on R.
GRADE_THRESHOLDS = [(100, "I"), (50, "II"), (10, "III"), (0, "IV")]

# --- IoT monitoring (GB/T 50493-2019 石油化工可燃气体和有毒气体检测报警设计标准 §5.5) ----
# Combustible gas: level-1 alarm <= 25 % LEL, level-2 alarm <= 50 % LEL.
COMBUSTIBLE_LEVEL1_PCT_LEL = 25.0
COMBUSTIBLE_LEVEL2_PCT_LEL = 50.0
# Toxic gas: level-1 <= 100 % of the occupational exposure limit (GBZ 2.1), level-2
# <= 200 % OEL.
TOXIC_LEVEL1_PCT_OEL = 100.0
TOXIC_LEVEL2_PCT_OEL = 200.0
# 《危险化学品重大危险源监督管理暂行规定》(总局令第40号) 第十三条: data kept at least 30 days.
RAW_RETENTION_DAYS = 30
DOWNSAMPLE_MINUTES = 5  # rollup bucket kept after raw data is pruned
# A reading more than this far ahead of the server clock is clock-skewed and rejected.
MAX_FUTURE_SKEW_SECONDS = 120
# Older than this (sensor buffer replay) is still stored but not alarmed on.
MAX_PAST_SKEW_SECONDS = 7 * 86400
# A sensor is silent after this many expected intervals without a reading.
SILENT_AFTER_INTERVALS = 3
# Stuck: identical readings for this many consecutive messages (and > 1 minute).
STUCK_AFTER_READINGS = 60
# Acknowledgement and handling time limits for an alarm incident (district practice,
# 应急管理部《危险化学品安全生产风险监测预警系统运行管理规范》: prompt handling).
ALARM_ACK_MINUTES = 15
ALARM_HANDLE_HOURS = 24
# Alarms of the same sensor and rule within an open incident are grouped.
MQTT_HOST = "127.0.0.1"
MQTT_PORT = 1883
MQTT_TOPIC_PREFIX = "minsheng/safety/v1"
MQTT_CLIENT_ID = "minsheng-safety-ingest"
MQTT_SESSION_EXPIRY_SECONDS = 7 * 86400
MQTT_RECEIVE_MAXIMUM = 20000  # unacknowledged QoS 1 messages the broker may send us
# "5" (Mosquitto 2.x) or "3.1.1" (RabbitMQ 3.10's MQTT plugin, the durable broker of
# docs/decisions/0006-durable-iot-broker.md: there the session is clean_session=False and
# the flow limit is the broker's `mqtt.prefetch`)
MQTT_PROTOCOL = "5"
# several ingesters share one subscription ($share/<group>/...; Mosquitto 2.x, MQTT 5
# brokers). Empty: one session gets every message (RabbitMQ 3.10 has no $share)
MQTT_SHARE_GROUP = ""
# threshold and low-limit alarms on a lane of their own (a second session that only
# evaluates them, on arrival), so they are not stuck behind a backlog of readings to store
INGEST_ALARM_LANE = True
INGEST_BATCH = 2000
INGEST_FLUSH_SECONDS = 0.2
INGEST_BUFFER = 50000  # bounded memory: messages held while the database is down

# --- Accidents (《生产安全事故报告和调查处理条例》, 国务院令第493号) ----------------------
# 第九条: the unit's head reports to the county department within 1 hour.
UNIT_REPORT_HOURS = 1
# 第十一条: each level relays within 2 hours.
RELAY_HOURS = 2
# 第十三条: casualty changes within 30 days (7 days for road traffic and fire).
CASUALTY_UPDATE_DAYS = 30
CASUALTY_UPDATE_DAYS_ROAD_FIRE = 7
# 第二十九条: investigation report within 60 days, extension at most 60 days.
INVESTIGATION_DAYS = 60
INVESTIGATION_EXTENSION_DAYS = 60
# 第三条: grade by deaths (3/10/30), serious injuries (10/50/100), loss (1000/5000/10000 万元).
GRADE_DEATHS = (3, 10, 30)
GRADE_SERIOUS_INJURIES = (10, 50, 100)
GRADE_LOSS_10K_YUAN = (1000, 5000, 10000)
# District rule for the public information release: within 24 hours of occurrence.
RELEASE_HOURS = 24

# --- Emergency plans and drills (《生产安全事故应急条例》, 《突发事件应急预案管理办法》) ---
# Months between drills by plan type: on-site disposal plans every 6 months, special
# plans at least every 3 years (应急管理部令第2号 第三十三条), overall plans every 3 years.
DRILL_MONTHS = {"overall": 36, "special": 36, "departmental": 36, "enterprise": 12,
                "onsite": 6}
# 预案管理办法 第二十四条: evaluated at least every 3 years (enterprises in hazardous
# industries every 3 years); revision when the evaluation requires.
EVALUATION_MONTHS = 36
# Supplies: alert this many days before expiry.
SUPPLY_EXPIRY_WARNING_DAYS = 60

# Department that supervises work safety (its code in core's department registry).
DEPARTMENT_CODE = "emergency"
