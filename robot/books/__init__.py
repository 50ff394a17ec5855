"""The workbooks: the input workbook read and checked (size and zip guards included), the blank template,
the result workbook and its 补录信息 sheet, cells kept as literal text.

Layer `books`, beside `session`, above `core` (the import contracts in pyproject.toml are the code map).
It knows no browser and no portal.
"""
