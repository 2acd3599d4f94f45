"""The hall's figures over a day or a week: tickets, waits, services, no-shows, transfers, ratings.

Computed here, shown by the back office (``/office/stats``, ``/office/hall``) and exported as
XLSX; the monthly assessment reads the same figures. Nothing here renders words: the office's
message catalog names the columns.
"""
