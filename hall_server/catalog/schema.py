"""The catalog file (YAML) as typed models: what 业务科 edits, imports and exports.

The same shapes serve the admin API, so a hall's catalog round-trips file → database → file.
Every field is described for people in docs/CATALOG.md. The checks across items (unknown
departments or services, codes used twice, hours that do not make sense) are in ``problems.py``,
where each one can name its own line.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


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


TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
SPAN = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"


def _lunch_text(value: object) -> object:
    """The lunch break is written as in the hall settings, ``"12:00-13:00"``; the list form of older
    catalogs (``["12:00", "13:00"]``) is still read. None or "" is no lunch break."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return f"{value[0].strip()}-{value[1].strip()}"
    if value == "":
        return None
    return value


Lunch = Annotated[Annotated[str, Field(pattern=SPAN)] | None, BeforeValidator(_lunch_text)]


class HoursSpec(Strict):
    open: str = Field(default="09:00", pattern=TIME)
    close: str = Field(default="17:00", pattern=TIME)
    lunch: Lunch = None


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


class CatalogFile(Strict):
    halls: list[HallSpec]
