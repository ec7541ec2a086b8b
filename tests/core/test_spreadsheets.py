import io

import openpyxl

from minsheng.core.spreadsheets import write_xlsx


def test_formula_injection_is_neutralised_on_export():
    buffer = io.BytesIO()
    write_xlsx(buffer, [("s", ["名称"], [["=cmd|' /C calc'!A0"], ["+1+1"], ["-2"], ["@SUM(A1)"],
                                         ["正常文本"], [42]])])
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    values = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert values == ["'=cmd|' /C calc'!A0", "'+1+1", "'-2", "'@SUM(A1)", "正常文本", 42]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
