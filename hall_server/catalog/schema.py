"""The catalog file (YAML) as typed models: what 业务科 edits, imports and exports.

The same shapes serve the admin API, so a hall's catalog round-trips file → database → file.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Category(StrEnum):
    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件
    JOINT = "joint"  # 联办件
    REPORTED = "reported"  # 上报件


class Theme(StrEnum):
    PERSONAL = "personal"
    ENTERPRISE = "enterprise"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Material(Strict):
    name: str
    kind: str = Field(pattern="^(main|attachment)$")  # 主件 | 附件
    copies: int = Field(default=1, ge=0)
    note: str = ""


class Fee(Strict):
    name: str
    amount: Decimal = Field(ge=0)
    unit: str = "元/件"
    basis: str = ""


class HoursSpec(Strict):
    open: str = "09:00"
    close: str = "17:00"
    lunch: list[str] | None = None


class DepartmentSpec(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str
    name_en: str = ""


class ServiceSpec(Strict):
    code: str = Field(min_length=1, max_length=40)
    name: str
    name_en: str = ""
    department: str
    category: Category
    theme: Theme = Theme.PERSONAL
    legal_days: int = Field(default=0, ge=0)
    promised_days: int = Field(default=0, ge=0)
    series: str = Field(pattern="^[A-Z]$")
    daily_cap: int = Field(default=500, ge=1)
    avg_service_minutes: int = Field(default=10, ge=1)
    guide: str = ""
    guide_en: str = ""
    legal_basis: str = ""
    materials: list[Material] = []
    fees: list[Fee] = []
    procedure: list[str] = []


class WindowSpec(Strict):
    number: int = Field(ge=1)
    name: str
    name_en: str = ""
    location: str = ""
    location_en: str = ""
    area: str = ""
    department: str
    services: list[str] = []


class HallSpec(Strict):
    key: str = Field(pattern="^[a-z0-9_-]+$")
    name: str
    name_en: str = ""
    address: str = ""
    timezone: str = "Asia/Shanghai"
    hours: HoursSpec = HoursSpec()
    notice: str = ""
    notice_en: str = ""
    departments: list[DepartmentSpec] = []
    services: list[ServiceSpec] = []
    windows: list[WindowSpec] = []

    @field_validator("departments", "services", "windows")
    @classmethod
    def _unique(cls, items: list) -> list:
        keys = [getattr(i, "code", None) or getattr(i, "number", None) for i in items]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"duplicate codes or numbers: {sorted(map(str, dupes))}")
        return items

    @model_validator(mode="after")
    def _references(self) -> HallSpec:
        depts = {d.code for d in self.departments}
        services = {s.code for s in self.services}
        for s in self.services:
            if s.department not in depts:
                raise ValueError(f"service {s.code} names unknown department {s.department}")
        for w in self.windows:
            if w.department not in depts:
                raise ValueError(f"window {w.number} names unknown department {w.department}")
            missing = [c for c in w.services if c not in services]
            if missing:
                raise ValueError(f"window {w.number} names unknown services {missing}")
        return self


class CatalogFile(Strict):
    halls: list[HallSpec]
