"""The tables of a period, laid out once: the page and the XLSX show the same columns and values."""

from __future__ import annotations

from dataclasses import dataclass

from hall_server.statistics.distribution import SERVICE_EDGES, WAIT_EDGES, bucket_labels
from hall_server.statistics.queries import LEVELS, Figures, Line

TIMES = ("waited", "wait_median", "wait_p90", "service_median", "service_p90")
RATINGS = tuple(f"rating_{level}" for level in LEVELS)
# Tickets are issued for a service; a window or a person serves, misses and transfers them.
COLUMNS = {
    "service": ("issued", "served", "no_shows", "transfers_out", "transfers_in", *TIMES, *RATINGS),
    "window": ("served", "no_shows", "transfers_out", *TIMES, *RATINGS),
    "staff": ("served", "no_shows", "transfers_out", *TIMES, *RATINGS),
    "day": ("issued", "served", "no_shows", "transfers_out", *TIMES, *RATINGS),
}


@dataclass(frozen=True)
class Table:
    key: str  # service | window | staff | day: also the key of its title and first column's heading
    columns: tuple[str, ...]
    lines: list[Line]
    total: Line


@dataclass(frozen=True)
class Histogram:
    key: str  # wait | service
    buckets: list[str]  # minutes: "0–5", …, "60+"
    counts: list[int]


def tables(f: Figures) -> list[Table]:
    found = [Table("service", COLUMNS["service"], f.by_service, f.total),
             Table("window", COLUMNS["window"], f.by_window, f.total),
             Table("staff", COLUMNS["staff"], f.by_staff, f.total)]
    if len(f.by_day) > 1:
        found.append(Table("day", COLUMNS["day"], f.by_day, f.total))
    return found


def histograms(f: Figures) -> list[Histogram]:
    return [Histogram("wait", bucket_labels(WAIT_EDGES), f.wait_histogram),
            Histogram("service", bucket_labels(SERVICE_EDGES), f.service_histogram)]


def value(line: Line, column: str) -> int | float | None:
    """A cell: a count, or minutes to one decimal (None where there is nothing to measure)."""
    if column.startswith("rating_"):
        return line.ratings.get(column.removeprefix("rating_"), 0)
    match column:
        case "waited":
            return line.wait.count
        case "wait_median":
            return line.wait.median
        case "wait_p90":
            return line.wait.p90
        case "service_median":
            return line.service.median
        case "service_p90":
            return line.service.p90
    return getattr(line, column)
