"""The period's tables as an XLSX workbook (openpyxl): one sheet per table, the same numbers as the page.

Words come from the caller (``heading``: a column's or table's key to its heading, Chinese with
English beside), so this module only lays out what ``tables.py`` defines.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from hall_server.statistics.queries import Figures, Line
from hall_server.statistics.tables import histograms, tables, value


def workbook(f: Figures, hall_name: str, heading: Callable[[str], str], label: Callable[[str, Line], str]) -> bytes:
    """The XLSX file: a summary sheet, then one sheet per table and per histogram.

    ``label(table_key, line)`` names a line (a service, a window, a person, a day)."""
    book = Workbook()
    about = book.active
    about.title = _title(heading("sheet_summary"))
    period = f.period.first.isoformat() + ("" if f.period.first == f.period.last else f" – {f.period.last.isoformat()}")
    for row in ((heading("hall"), hall_name), (heading("period"), period), (heading("issued"), f.total.issued),
                (heading("served"), f.total.served), (heading("no_shows"), f.total.no_shows),
                (heading("transfers_out"), f.total.transfers_out)):
        about.append(row)
    about.append([])
    for key in ("definition_wait", "definition_service", "definition_no_show", "definition_transfer"):
        about.append([heading(key)])
    _widths(about, [24, 40])
    for table in tables(f):
        sheet = book.create_sheet(_title(heading(f"table_{table.key}")))
        sheet.append([heading(f"column_{table.key}"), *(heading(c) for c in table.columns)])
        for line in table.lines:
            sheet.append([label(table.key, line), *(value(line, c) for c in table.columns)])
        sheet.append([heading("total"), *(value(table.total, c) for c in table.columns)])
        _dress(sheet, len(table.columns) + 1)
    for h in histograms(f):
        sheet = book.create_sheet(_title(heading(f"histogram_{h.key}")))
        sheet.append([heading("minutes"), heading("tickets")])
        for bucket, count in zip(h.buckets, h.counts, strict=True):
            sheet.append([bucket, count])
        _dress(sheet, 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(text: str) -> str:
    """A sheet title: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31]


def _dress(sheet, columns: int) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    _widths(sheet, [28] + [14] * (columns - 1))


def _widths(sheet, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
