"""The hall as the kiosk knows it: its name, hours and notice, departments and services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.guide_search import ServiceIndex


@dataclass(frozen=True)
class HallInfo:
    hall: Mapping[str, Any]
    departments: list[dict[str, Any]]
    services: list[dict[str, Any]]
    index: ServiceIndex

    @classmethod
    def of(cls, hall: Mapping[str, Any], departments: list[dict[str, Any]], services: list[dict[str, Any]]) -> HallInfo:
        names = {d["id"]: d["name"] for d in departments}
        return cls(hall, departments, services, ServiceIndex(services, names))

    @property
    def hall_id(self) -> int:
        return int(self.hall["id"])

    @property
    def timezone(self) -> str:
        return str(self.hall.get("timezone") or "Asia/Shanghai")

    def service(self, service_id: int) -> dict[str, Any] | None:
        return next((s for s in self.services if s["id"] == service_id), None)

    def same_as(self, hall: Mapping[str, Any], departments: list[dict[str, Any]],
                services: list[dict[str, Any]]) -> bool:
        return (dict(self.hall), self.departments, self.services) == (dict(hall), departments, services)
