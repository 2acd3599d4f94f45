"""Reading an office page as a supervisor reads it: the cells of its tables, by row and column."""

from __future__ import annotations

from html.parser import HTMLParser


class _Cells(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.row, self.column = table_id, False, None, None
        self.cells: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "table":
            self.inside = a.get("id") == self.table_id
        elif self.inside and tag == "tr":
            self.row = a.get("data-key")
        elif self.inside and tag in ("td", "th") and self.row is not None:
            self.column = a.get("data-column")
            if self.column:
                self.cells.setdefault(self.row, {})[self.column] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif tag in ("td", "th"):
            self.column = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.row is not None and self.column:
            self.cells[self.row][self.column] += data.strip()


def table_cells(html: str, table_id: str) -> dict[str, dict[str, str]]:
    """{row's data-key: {column: text}} of the table with this id (the total row is "total")."""
    parser = _Cells(table_id)
    parser.feed(html)
    return parser.cells


def by_id(html: str, element_id: str) -> str:
    """The text of the element with this id."""
    start = html.index(f'id="{element_id}"')
    return html[html.index(">", start) + 1:html.index("<", start)].strip()
