"""The workbooks: reading and checking the input workbook, the blank template, the result workbook
and the 补录信息 sheet, literal-text cells.

Owns: `columns`, `validate`, `workbook_in`, `xlsx_guard`, `template`, `report`, `entries_sheet`, `xlsx_text`.
May import: `robot.core` only. Knows no browser and no portal.
"""
