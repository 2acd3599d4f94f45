"""A fixed hall for snapshot tests: the real client and the real app, with the server's answers
taken from this file (httpx.MockTransport), so every screenshot is the same on every run.

The data follow the demo catalog (昆山, hall_server/catalog/demo_catalog.yaml); the status token
is fixed, so the QR code in the ticket snapshot never changes.
"""

from __future__ import annotations

import json
import re

import httpx

HALL = {
    "id": 1, "key": "kunshan", "name": "昆山市行政审批服务中心",
    "name_en": "Kunshan Administrative Approval Service Center", "address": "前进中路219号",
    "timezone": "Asia/Shanghai", "hours": "09:00-17:00", "lunch": None,
    "notice": "本中心实行朝九晚五工作制;需要帮助请到一楼咨询台。",
    "notice_en": "Open 9:00 to 17:00; the enquiry desk on the ground floor is glad to help.",
}
DEPARTMENTS = [
    {"id": 1, "code": "GS", "name": "市场监督管理局", "name_en": "Market Supervision"},
    {"id": 2, "code": "DS", "name": "税务局", "name_en": "Taxation Bureau"},
    {"id": 3, "code": "GA", "name": "公安局(户政)", "name_en": "Public Security (Household Registration)"},
]


def _service(id_: int, code: str, name: str, name_en: str, dept: int, category: str, theme: str, days: int,
             legal: int) -> dict:
    return {"id": id_, "code": code, "name": name, "name_en": name_en, "prefix": "ABC"[dept - 1],
            "department_id": dept, "category": category, "theme": theme, "promised_days": days,
            "legal_days": legal}


SERVICES = [
    _service(1, "GS-002", "公司设立登记(营业执照)", "Company registration (business licence)", 1, "promised",
             "enterprise", 3, 15),
    _service(2, "GS-005", "个体工商户设立登记", "Individual business registration", 1, "immediate", "personal", 0, 15),
    _service(3, "DS-001", "发票领用", "Invoice collection", 2, "immediate", "enterprise", 0, 0),
    _service(4, "GA-003", "居民户口迁入", "Household registration transfer", 3, "joint", "personal", 5, 20),
]
WINDOWS = {1: [{"id": 1, "number": 1, "name": "工商登记", "location": "一楼A区1号窗口",
                "location_en": "Ground floor, area A, window 1"},
               {"id": 2, "number": 2, "name": "工商登记", "location": "一楼A区2号窗口",
                "location_en": "Ground floor, area A, window 2"}]}
DETAIL_1 = SERVICES[0] | {
    "department_name": "市场监督管理局", "department_name_en": "Market Supervision",
    "guide": "有限责任公司、股份有限公司申请设立登记,材料齐全、符合法定形式的,核发营业执照。",
    "guide_en": "Limited liability and joint-stock companies apply here; the business licence is issued "
                "when the papers are complete.",
    "legal_basis": "《中华人民共和国公司法》、《中华人民共和国公司登记管理条例》第二十条",
    "materials": [
        {"name": "公司登记(备案)申请书", "kind": "main", "copies": 1, "note": ""},
        {"name": "公司章程", "kind": "main", "copies": 1, "note": ""},
        {"name": "全体股东身份证明复印件", "kind": "attachment", "copies": 1, "note": "核对原件"},
    ],
    "fees": [{"name": "营业执照副本加本费", "amount": "10", "unit": "元/件", "basis": "苏价费〔2010〕123号"}],
    "procedure": ["申请", "受理", "审查", "决定", "发证"], "daily_cap": 150, "windows": WINDOWS[1],
}
TOKEN = "SnapShotToken-0123456789abcdefghijk"
TICKET = {
    "id": 12, "number": "A012", "status": "waiting", "priority": "normal", "service_id": 1,
    "service_name": "公司设立登记(营业执照)", "hall_id": 1, "status_token": TOKEN,
    "status_url": f"https://zwfw.example.cn/s/{TOKEN}", "waiting_ahead": 5, "estimated_wait_seconds": 1500,
    "issued_at": "2026-11-25T02:00:00+00:00", "check_code": "7KQ3",
    "where_to_go": [{"number": w["number"], "location": w["location"], "location_en": w["location_en"]}
                    for w in WINDOWS[1]],
}
FINISHED = {
    "number": "A012", "status": "finished", "priority": "normal", "hall_name": HALL["name"],
    "service_name": TICKET["service_name"], "service_name_en": SERVICES[0]["name_en"],
    "issued_at": TICKET["issued_at"], "called_at": "2026-11-25T02:20:00+00:00",
    "finished_at": "2026-11-25T02:35:00+00:00", "waiting_ahead": 0, "estimated_wait_seconds": 0,
    "window_number": 1, "window_location": "一楼A区1号窗口", "window_location_en": "Ground floor, area A, window 1",
    "can_rate": True, "rating": None, "where_to_go": TICKET["where_to_go"],
}

ROUTES: list[tuple[str, str, object]] = [
    ("GET", r"/api/v1/auth/me", {"role": "kiosk", "hall_id": 1, "user_id": None}),
    ("GET", r"/api/v1/halls/1", HALL),
    ("GET", r"/api/v1/halls/1/departments", DEPARTMENTS),
    ("GET", r"/api/v1/halls/1/services", SERVICES),
    ("GET", r"/api/v1/services/1", DETAIL_1),
    ("POST", r"/api/v1/tickets", TICKET),
    ("GET", rf"/api/v1/status/{TOKEN}", FINISHED),
]


def handle(request: httpx.Request) -> httpx.Response:
    for method, pattern, body in ROUTES:
        if request.method == method and re.fullmatch(pattern, request.url.path):
            return httpx.Response(200, content=json.dumps(body, ensure_ascii=False).encode(),
                                  headers={"content-type": "application/json"})
    return httpx.Response(404, json={"error": {"code": "not_in_fake", "message_zh": "无", "message_en": "none"}})
