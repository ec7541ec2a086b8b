"""xlsx exports: the task breakdown table and the targets table (staff with the export
permission in the plan's area; the selectors check it)."""

from __future__ import annotations

from minsheng.core.spreadsheets import write_xlsx
from minsheng.plans import selectors

TASK_HEADER = ["序号", "任务措施", "牵头单位", "配合单位", "完成时限", "关联指标", "进展状态"]
TARGET_HEADER = ["指标", "区域", "目标类型", "目标值", "当前值", "数据期", "预测值(截止日)",
                 "预测区间下限", "预测区间上限", "状态", "说明"]


def task_breakdown_xlsx(actor, plan, target) -> None:
    write_xlsx(target, [("任务分解表", TASK_HEADER,
                         selectors.task_breakdown_rows(actor, plan=plan))])


def targets_xlsx(actor, plan, target) -> None:
    rows = selectors.targets_export_rows(actor, plan=plan)

    def lines():
        for row in rows:
            t = row["target"]
            for area, r in [(t.area, row["result"]), *row["areas"]]:
                if not r:
                    continue
                p = r["projection"] or {}
                yield [t.name, area.name, t.get_kind_display(), r["target_value"],
                       r["current_value"], r["current_date"], p.get("value"), p.get("lower"),
                       p.get("upper"), r["status"], r["reason"]]
    write_xlsx(target, [("目标监测", TARGET_HEADER, lines())])
