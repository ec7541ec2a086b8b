"""National defaults for cultural heritage; districts override them with
settings.MINSHENG_CULTURE = {"NAME": value, ...}. Each number names its source."""

# Department whose staff keep the register and decide consents (core.access.reserve).
DEPARTMENT_CODE = "culture"

# --- Protection zones ------------------------------------------------------------------
# 《文物保护法实施条例》第九条: the protection range of a designated site is delimited
# within one year of its designation; 第十三条: the construction-control zone likewise.
DELIMIT_MONTHS = 12
DELIMIT_BASIS = "《文物保护法实施条例》第九条、第十三条（核定公布之日起1年内划定）"
# 《文物保护法》(2024年修订，2025-03-01施行) keeps the two rules of the 2017 text
# (第十七条 protection range, 第十八条 construction-control zone). The article numbers
# of the revised text are settings so that the district's legal office confirms them.
PROTECTION_RANGE_BASIS = ("《文物保护法》保护范围内不得进行文物保护工程以外的其他建设工程；"
                          "特殊情况须经核定公布该文物保护单位的人民政府批准，批准前征得上一级"
                          "文物行政部门同意（2017年文本第十七条）")
CONTROL_ZONE_BASIS = ("《文物保护法》建设控制地带内的工程设计方案须经相应文物行政部门同意后"
                      "报规划部门批准（2017年文本第十八条）")
# 《行政许可法》第四十二条: a licensing decision within 20 working days of acceptance.
CONSENT_WORKING_DAYS = 20
# A project within this distance of a zone (but not touching it) is flagged as nearby:
# positions from planning drawings are rarely better than a few tens of metres.
CHECK_BUFFER_METRES = 50.0
# Planar CRS for metres (buffers, overlap areas): CGCS2000 3-degree Gauss-Kruger CM 117E,
# the national standard projection for the demo district's longitude.
METRIC_CRS = "EPSG:4548"
# The district's bounding box in WGS-84 (lon_min, lat_min, lon_max, lat_max): geometry
# outside it is refused (the demo district lies in Tianjin's Binhai area).
DISTRICT_BOUNDS = (117.30, 38.60, 118.10, 39.40)
# Map background: an XYZ tile URL ("" = no tiles, the map works offline on a blank
# background). E.g. the district's own tile server.
MAP_TILES_URL = ""
MAP_TILES_ATTRIBUTION = ""

# --- Intangible heritage -----------------------------------------------------------------
# 《非物质文化遗产法》第二十三条 (推荐项目公示不少于二十日); the district applies the same
# public notice to representative inheritors (《国家级非物质文化遗产代表性传承人认定与
# 管理办法》2019 第十三条 requires a notice; its length is set by the district).
NOTICE_DAYS = 20
