"""Sample screens for the web kiosk's layout tests, each one drawn by the real flow.

Every sample is a ``Visit`` (``kiosk/flow/visit.py``) of a county hall with a full catalog (12
departments, 40 services, an item with ten materials, a joint case with 12 steps), driven the way
the kiosk's core drives it: touches, typing, and the server's answers to its effects, written here
as the hall server's API answers them (``hall_server/catalog/routes.py``, ``tickets/views.py``,
``cases/views.py``; refusals in the server's own words, ``hall_server/messages.py``). The screens
are the flow's ``view()``: nothing is built by hand, so the page is tried on what the kiosk really
shows, and on what stretches it, not on what fits.

Each step checks that the flow asked for what the walk answers and reached the screen it meant
to: a sample that no longer fits the flow fails loudly instead of drawing something else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hall_server.cases.views import STATUS_NAMES, STEP_NAMES, TYPE_NAMES
from hall_server.client import ApiError
from hall_server.errors import HallError
from hall_server.messages import MESSAGES as SERVER_MESSAGES
from hardware.printer.device import PrintResult
from hardware.printer.status import PrinterHealth
from kiosk.flow.effects import Effect, Find, Issue, LoadService, Print, Rate
from kiosk.flow.hall import HallInfo
from kiosk.flow.view import ScreenView
from kiosk.flow.visit import Visit

LANGS = ("zh", "en")
MOMENT = datetime(2026, 11, 25, 1, 41, tzinfo=UTC)  # a Wednesday, 09:41 in the hall
ADDRESS = "https://zwfw.example.cn"

# --- the hall's catalog, as GET /halls/{id}, /halls/{id}/departments and /halls/{id}/services answer -----

HALL = {
    "id": 3, "key": "shuyang", "name": "沭阳县政务服务中心", "name_en": "Shuyang County Government Service Center",
    "address": "沭阳县人民中路88号", "timezone": "Asia/Shanghai", "hours": "08:30-17:30", "lunch": "12:00-13:30",
    "notice": "12月1日(星期一)下午系统升级,不动产登记业务暂停受理;需要帮助请到一楼导办台,我们竭诚为您服务。",
    "notice_en": "Real estate registration is paused on the afternoon of Monday 1 December for a system upgrade. "
                 "The help desk on the ground floor is glad to help.",
}

_DEPARTMENTS = [  # (code, name, name_en)
    ("GA", "沭阳县公安局(户政、出入境)", "Public Security Bureau (Household Registration and Exit-Entry)"),
    ("SJ", "沭阳县市场监督管理局", "Administration for Market Regulation"),
    ("RS", "沭阳县人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("YB", "沭阳县医疗保障局", "Healthcare Security Administration"),
    ("JS", "沭阳县住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("ZG", "沭阳县自然资源和规划局", "Natural Resources and Planning Bureau"),
    ("SW", "国家税务总局沭阳县税务局", "Taxation Bureau"),
    ("MZ", "沭阳县民政局", "Civil Affairs Bureau"),
    ("WJ", "沭阳县卫生健康委员会", "Health Commission"),
    ("JT", "沭阳县交通运输局", "Transport Bureau"),
    ("GJJ", "宿迁市住房公积金管理中心沭阳分中心", "Housing Provident Fund Center, Shuyang Branch"),
    ("BDC", "沭阳县不动产登记中心", "Real Estate Registration Center"),
]
DEPARTMENTS = [{"id": i, "code": code, "name": name, "name_en": name_en}
               for i, (code, name, name_en) in enumerate(_DEPARTMENTS, 1)]

_SERVICES = [  # (name, name_en, department id, theme, category, promised days, legal days)
    ("居民身份证换领", "Renewal of resident identity card", 1, "personal", "promised", 20, 60),
    ("居民身份证挂失补领", "Replacement of a lost identity card", 1, "personal", "promised", 20, 60),
    ("户口迁入登记", "Household registration: moving in", 1, "personal", "immediate", 0, 0),
    ("户口迁出登记", "Household registration: moving out", 1, "personal", "immediate", 0, 0),
    ("居住证申领", "Residence permit application", 1, "personal", "promised", 10, 15),
    ("出入境证件办理", "Exit-entry documents", 1, "personal", "promised", 7, 30),
    ("个体工商户设立登记", "Registration of an individual business", 2, "enterprise", "immediate", 0, 15),
    ("有限责任公司设立登记", "Registration of a limited liability company", 2, "enterprise", "promised", 3, 15),
    ("企业变更登记", "Change of company registration", 2, "enterprise", "promised", 3, 15),
    ("企业注销登记", "Deregistration of a company", 2, "enterprise", "promised", 3, 15),
    ("食品经营许可", "Food business licence", 2, "enterprise", "promised", 10, 20),
    ("城乡居民基本养老保险参保登记", "Enrolment in urban and rural residents' basic pension insurance", 3,
     "personal", "immediate", 0, 5),
    ("失业保险金申领", "Unemployment insurance benefit claim", 3, "personal", "promised", 5, 20),
    ("社会保障卡申领", "Social security card application", 3, "personal", "promised", 10, 20),
    ("就业登记", "Employment registration", 3, "enterprise", "immediate", 0, 5),
    ("职业技能等级证书查询", "Vocational skill certificate enquiry", 3, "personal", "immediate", 0, 0),
    ("城乡居民医疗保险参保登记", "Enrolment in residents' medical insurance", 4, "personal", "immediate", 0, 5),
    ("异地就医备案", "Registration for medical treatment in another city", 4, "personal", "immediate", 0, 5),
    ("门诊慢特病待遇认定", "Chronic and special outpatient disease benefits", 4, "personal", "promised", 15, 30),
    ("医疗费用手工报销", "Manual reimbursement of medical expenses", 4, "personal", "promised", 20, 30),
    ("建筑工程施工许可", "Construction permit", 5, "enterprise", "joint", 5, 15),
    ("商品房预售许可", "Pre-sale permit for commercial housing", 5, "enterprise", "joint", 10, 20),
    ("公共租赁住房申请", "Public rental housing application", 5, "personal", "promised", 20, 30),
    ("建设用地规划许可", "Planning permit for construction land", 6, "enterprise", "promised", 10, 20),
    ("建设工程规划许可", "Planning permit for construction works", 6, "enterprise", "promised", 10, 20),
    ("发票申领", "Invoice application", 7, "enterprise", "immediate", 0, 0),
    ("个人所得税汇算清缴", "Individual income tax annual settlement", 7, "personal", "immediate", 0, 0),
    ("税务登记信息变更", "Change of tax registration details", 7, "enterprise", "immediate", 0, 0),
    ("婚姻登记", "Marriage registration", 8, "personal", "immediate", 0, 0),
    ("最低生活保障申请", "Minimum living allowance application", 8, "personal", "promised", 25, 30),
    ("高龄津贴申领", "Old-age allowance application", 8, "personal", "promised", 15, 20),
    ("残疾人两项补贴申请", "Disability allowances application", 8, "personal", "promised", 15, 20),
    ("出生医学证明办理", "Medical birth certificate", 9, "personal", "immediate", 0, 0),
    ("母婴保健技术服务执业许可", "Licence for maternal and infant health services", 9, "enterprise", "promised",
     15, 20),
    ("道路运输经营许可", "Road transport business licence", 10, "enterprise", "promised", 10, 20),
    ("出租汽车驾驶员从业资格", "Taxi driver qualification", 10, "personal", "promised", 10, 20),
    ("住房公积金提取", "Withdrawal of housing provident fund", 11, "personal", "promised", 3, 5),
    ("住房公积金贷款", "Housing provident fund loan", 11, "personal", "promised", 10, 15),
    ("不动产首次登记", "First registration of real estate", 12, "personal", "promised", 5, 30),
    ("不动产转移登记", "Transfer registration of real estate", 12, "personal", "promised", 5, 30),
]
SERIES = "ABCDEFGHJKLM"  # a department's ticket prefix
SERVICES: list[dict[str, Any]] = []
for _n, (_name, _name_en, _dept, _theme, _category, _promised, _legal) in enumerate(_SERVICES, 1):
    _code = f"{_DEPARTMENTS[_dept - 1][0]}-{sum(1 for s in SERVICES if s['department_id'] == _dept) + 1:03d}"
    SERVICES.append({"id": _n, "code": _code, "name": _name, "name_en": _name_en, "prefix": SERIES[_dept - 1],
                     "department_id": _dept, "category": _category, "theme": _theme, "promised_days": _promised,
                     "legal_days": _legal, "active": True})

PENSION = 12  # the long item: ten materials, two windows
CONSTRUCTION = 21  # the joint case with 12 steps

WINDOWS = [
    {"id": 31, "number": 12, "name": "社保登记", "location": "二楼B区12号窗口",
     "location_en": "2nd floor, area B, window 12"},
    {"id": 32, "number": 13, "name": "社保登记", "location": "二楼B区13号窗口",
     "location_en": "2nd floor, area B, window 13"},
]


def _material(name: str, kind: str = "main", copies: int = 1, note: str = "") -> dict[str, Any]:
    return {"name": name, "kind": kind, "copies": copies, "note": note}


# GET /services/{id}: the long item, everything the guide shows (九公开).
PENSION_DETAIL = SERVICES[PENSION - 1] | {
    "department_name": DEPARTMENTS[2]["name"], "department_name_en": DEPARTMENTS[2]["name_en"],
    "guide": "年满16周岁(不含在校学生),非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民,"
             "可在户籍地申请参加城乡居民基本养老保险;材料齐全的,当场办结。",
    "guide_en": "Residents aged 16 or over (not students) who are not civil servants and are not covered by the "
                "employees' basic pension may enrol where their household is registered; with complete papers "
                "it is done on the spot.",
    "legal_basis": "《中华人民共和国社会保险法》第二十条、《国务院关于建立统一的城乡居民基本养老保险制度的意见》"
                   "(国发〔2014〕8号)",
    "materials": [
        _material("居民身份证", note="原件及复印件"),
        _material("户口簿", note="本人页、户主页原件及复印件"),
        _material("《城乡居民基本养老保险参保登记表》", note="窗口领取或网上下载"),
        _material("近期免冠一寸彩色照片", copies=2),
        _material("本人名下银行卡或存折复印件", note="一类账户"),
        _material("授权委托书及受托人身份证", "attachment", note="委托他人办理的"),
        _material("残疾人证", "attachment", note="重度残疾人提供原件"),
        _material("最低生活保障证明", "attachment", note="低保对象提供"),
        _material("特困人员供养证明", "attachment", note="特困人员提供"),
        _material("其他需要提交的证明材料", "attachment", note="以窗口审核为准"),
    ],
    "fees": [], "procedure": ["取号", "窗口受理", "审核材料", "信息录入", "当场办结"], "daily_cap": 120,
    "windows": WINDOWS,
}
DETAILS = {PENSION: PENSION_DETAIL}

# --- the server's answers to a ticket and a case -------------------------------------------------------

TOKEN = "q7Vb2kN4xR9tLm3Wc8Yp1Hs6Dz5Gf0Ja"  # secrets.token_urlsafe(24) is 32 characters
CASE_TOKEN = "Ke4Rt7Ub1Nx9Qw2Lz6Pm3Vc8Hy5Sd0Fa"
WHERE_TO_GO = [{"number": w["number"], "location": w["location"], "location_en": w["location_en"]} for w in WINDOWS]


def issued(effect: Issue) -> dict[str, Any]:
    """POST /tickets: the ticket just issued for the request the flow sent."""
    service = SERVICES[effect.request.service_id - 1]
    return {"id": 4117, "number": f"{service['prefix']}017", "status": "waiting",
            "priority": effect.request.priority, "service_id": service["id"], "service_name": service["name"],
            "hall_id": HALL["id"], "status_token": TOKEN, "status_url": f"{ADDRESS}/s/{TOKEN}", "check_code": "7KQ3",
            "waiting_ahead": 13, "estimated_wait_seconds": 1740, "issued_at": MOMENT.isoformat(),
            "where_to_go": WHERE_TO_GO}


def finished_ticket(effect: Find) -> dict[str, Any]:
    """GET /halls/{id}/tickets/lookup: a ticket served this morning at window 12, not yet rated."""
    service = SERVICES[PENSION - 1]
    return {"number": "C009", "status": "finished", "priority": "normal", "hall_name": HALL["name"],
            "service_name": service["name"], "service_name_en": service["name_en"],
            "issued_at": (MOMENT - timedelta(minutes=55)).isoformat(),
            "called_at": (MOMENT - timedelta(minutes=30)).isoformat(),
            "finished_at": (MOMENT - timedelta(minutes=12)).isoformat(), "waiting_ahead": 0,
            "estimated_wait_seconds": 0, "window_number": 12, "window_location": WINDOWS[0]["location"],
            "window_location_en": WINDOWS[0]["location_en"], "can_rate": True, "rating": None,
            "where_to_go": WHERE_TO_GO, "status_token": TOKEN}


_STEPS = [  # (kind, days after acceptance, hour) of a joint case: three co-departments, an extension
    ("received", 0, 9), ("notice_printed", 0, 9), ("sent", 0, 14), ("sent", 0, 14), ("sent", 1, 10),
    ("signed_off", 3, 16), ("signed_off", 6, 11), ("extended", 8, 15), ("deadline_recounted", 8, 15),
    ("signed_off", 12, 10), ("finished", 14, 16), ("notice_printed", 14, 16),
]
ACCEPTED = datetime(2026, 11, 3, tzinfo=UTC)


def case_status(effect: Find) -> dict[str, Any]:
    """GET /status/{token} for a case notice's QR: a joint case finished, open to rating."""
    service = SERVICES[CONSTRUCTION - 1]
    department = DEPARTMENTS[service["department_id"] - 1]
    return {
        "kind": "case", "case_number": "2026000318", "case_type": "joint", "type_name_zh": TYPE_NAMES["joint"][0],
        "type_name_en": TYPE_NAMES["joint"][1], "status": "finished", "status_name_zh": STATUS_NAMES["finished"][0],
        "status_name_en": STATUS_NAMES["finished"][1], "service_name": service["name"],
        "service_name_en": service["name_en"], "department_name": department["name"],
        "applicant_name": "江苏沭城建设工程有限公司", "accepted_on": ACCEPTED.date().isoformat(),
        "deadline": "2026-11-24", "deadline_provisional": False, "finished_on": "2026-11-17",
        "missing_materials": [], "reason": "",
        "steps": [{"kind": kind, "name_zh": STEP_NAMES[kind][0], "name_en": STEP_NAMES[kind][1],
                   "at": (ACCEPTED + timedelta(days=day, hours=hour - 8)).isoformat()} for kind, day, hour in _STEPS],
        "ratable": True, "rating": None, "overdue": False, "hall_name": HALL["name"], "timezone": HALL["timezone"],
        "department_name_en": department["name_en"],
    }


def rated(effect: Rate) -> dict[str, Any]:
    """POST /ratings: the server's thanks."""
    thanks = SERVER_MESSAGES["rating_thanks"]
    return {"id": 208, "ticket_id": 4109, "case_id": None, "rating": effect.rating, "message_zh": thanks["zh"],
            "message_en": thanks["en"]}


def refusal(code: str, status: int, **values: object) -> ApiError:
    """A refusal as the client raises it, in the server's own words."""
    err = HallError(code, status, **values)
    return ApiError(err.status, err.code, err.message_zh, err.message_en)


COME_BACK = {"next_open": "11月26日(星期四)08:30", "next_open_en": "Thu 26 Nov 08:30"}

# --- driving the flow --------------------------------------------------------------------------------


class Kiosk:
    """One visit, driven as the kiosk's core drives it: touches and typing go to the flow, the effects
    it asks for wait in ``pending`` until the walk answers, refuses or retries them."""

    def __init__(self, lang: str, large: bool) -> None:
        hall = HallInfo.of(HALL, DEPARTMENTS, SERVICES)
        self.visit = Visit(lang=lang, large=large, hall=hall, now=lambda: MOMENT)
        self.visit.set_online(True)  # the server answered: no connection notice
        self.pending: list[Effect] = []

    def _collect(self) -> None:
        self.pending += self.visit.take_effects()

    def on(self, kind: str) -> Kiosk:
        assert self.visit.screen.kind == kind, f"the flow shows {self.visit.screen.kind}, not {kind}"
        return self

    def touch(self, *choices: str) -> Kiosk:
        for choice in choices:
            shown = {c.id for c in self.visit.view().choices()}
            assert choice in shown, f"no {choice} on the {self.visit.screen.kind} screen"
            self.visit.touch(choice, self.visit.version)
            self._collect()
        return self

    def keys(self, typed: str) -> Kiosk:
        """Typed on the on-screen keys, one touch a key."""
        return self.touch(*(f"key-{ch}" for ch in typed.upper()))

    def type(self, field: str, value: str, enter: bool = False) -> Kiosk:
        self.visit.type(field, value, enter)
        self._collect()
        return self

    def _take(self, kind: type[Effect]) -> list[Effect]:
        asked = [e for e in self.pending if isinstance(e, kind)]
        assert asked, f"the flow asked for no {kind.__name__} (it asked for {self.pending})"
        self.pending = [e for e in self.pending if not isinstance(e, kind)]
        return asked

    def answer(self, kind: type[Effect], result: object | Callable[[Any], object]) -> Kiosk:
        for effect in self._take(kind):
            self.visit.arrived(effect, result(effect) if callable(result) else result)
            self._collect()
        return self

    def refuse(self, kind: type[Effect], err: ApiError) -> Kiosk:
        for effect in self._take(kind):
            self.visit.refused(effect, err)
            self._collect()
        return self

    def view(self) -> ScreenView:
        return self.visit.view()


def detail(effect: LoadService) -> dict[str, Any]:
    return DETAILS[effect.service_id]


# --- the samples ---------------------------------------------------------------------------------------


def home(lang: str, large: bool) -> ScreenView:
    return Kiosk(lang, large).on("home").view()


def home_offline(lang: str, large: bool) -> ScreenView:
    """The kiosk lost the server: the connection notice over the home screen."""
    kiosk = Kiosk(lang, large)
    kiosk.visit.set_online(False)
    return kiosk.on("home").view()


def guide(lang: str, large: bool) -> ScreenView:
    """Every one of the 40 services listed, the 12 departments beside them, the pinyin keys open."""
    return Kiosk(lang, large).touch("go-guide", "toggle-keys").on("guide").view()


def guide_nokeys(lang: str, large: bool) -> ScreenView:
    return Kiosk(lang, large).touch("go-guide").on("guide").view()


def item_loading(lang: str, large: bool) -> ScreenView:
    """The item opened, its 九公开 still on the way."""
    return Kiosk(lang, large).touch("go-guide", f"svc-{PENSION}").on("item").view()


def item(lang: str, large: bool) -> ScreenView:
    kiosk = Kiosk(lang, large).touch("go-guide", f"svc-{PENSION}").on("item")
    return kiosk.answer(LoadService, detail).view()


def _confirm(lang: str, large: bool) -> Kiosk:
    return Kiosk(lang, large).touch("go-take", f"svc-{PENSION}").on("confirm").answer(LoadService, detail)


def confirm(lang: str, large: bool) -> ScreenView:
    return _confirm(lang, large).view()


def confirm_problem(lang: str, large: bool) -> ScreenView:
    """Back on the confirmation after the server refused the ticket: its reason under the service."""
    kiosk = _confirm(lang, large).touch("confirm-normal").on("issuing")
    kiosk.refuse(Issue, refusal("service_not_served", 409)).touch("issue-back")
    return kiosk.on("confirm").view()


def priority(lang: str, large: bool) -> ScreenView:
    return _confirm(lang, large).touch("confirm-priority").on("priority").view()


def green(lang: str, large: bool) -> ScreenView:
    """A green-channel code typed on the keys and refused: the code and the server's reason stay."""
    kiosk = _confirm(lang, large).touch("confirm-green").on("green").keys("G7K2Q9").touch("green-submit")
    kiosk.on("issuing").refuse(Issue, refusal("green_code_required", 403)).touch("issue-back")
    return kiosk.on("green").view()


def issuing(lang: str, large: bool) -> ScreenView:
    return _confirm(lang, large).touch("confirm-normal").on("issuing").view()


def issuing_failed(lang: str, large: bool) -> ScreenView:
    """Today's tickets for the service are gone: the server's reason, with when to come back."""
    kiosk = _confirm(lang, large).touch("confirm-normal").on("issuing")
    return kiosk.refuse(Issue, refusal("daily_cap_reached", 409, **COME_BACK)).on("issuing").view()


def ticket(lang: str, large: bool) -> ScreenView:
    """A priority ticket, printed."""
    kiosk = _confirm(lang, large).touch("confirm-priority", "priority-yes").on("issuing").answer(Issue, issued)
    return kiosk.on("ticket").answer(Print, PrintResult.of(True, PrinterHealth.OK)).view()


def ticket_printer(lang: str, large: bool) -> ScreenView:
    """A green-channel ticket the printer could not print: out of paper, photograph the screen."""
    kiosk = _confirm(lang, large).touch("confirm-green").keys("G7K2Q9").touch("green-submit")
    kiosk.on("issuing").answer(Issue, issued).on("ticket")
    return kiosk.answer(Print, PrintResult.of(False, PrinterHealth.PAPER_OUT)).view()


def find(lang: str, large: bool) -> ScreenView:
    """The number begun on the keys ("A0") and Find touched too soon: the flow asks for number and code."""
    kiosk = Kiosk(lang, large).touch("go-status").on("find").keys("A0").touch("find-submit")
    return kiosk.on("find").view()


def status(lang: str, large: bool) -> ScreenView:
    """A case notice's QR scanned (a keyboard-mode scanner types it and Enter): a joint case, 12 steps."""
    kiosk = Kiosk(lang, large).touch("go-status").on("find").type("find-scan", f"{ADDRESS}/s/{CASE_TOKEN}", True)
    return kiosk.answer(Find, case_status).on("status").view()


def _rating(lang: str, large: bool) -> Kiosk:
    """The ticket found by its number and check code, rated 较差 with two reasons."""
    kiosk = Kiosk(lang, large).touch("go-rate").on("find")
    kiosk.type("find-number", "C009").type("find-code", "7KQ3").touch("find-submit")
    kiosk.answer(Find, finished_ticket).on("rate")
    return kiosk.touch("rate-poor", "reason-slow", "reason-unclear")


def rate(lang: str, large: bool) -> ScreenView:
    return _rating(lang, large).view()


def rate_sent(lang: str, large: bool) -> ScreenView:
    return _rating(lang, large).touch("rate-submit").answer(Rate, rated).on("rate").view()


# name -> (lang, large) -> view. The names are those of the screenshots and test ids.
SAMPLES: dict[str, Callable[[str, bool], ScreenView]] = {
    "home": home,
    "home-offline": home_offline,
    "guide": guide,
    "guide-nokeys": guide_nokeys,
    "item": item,
    "item-loading": item_loading,
    "confirm": confirm,
    "confirm-problem": confirm_problem,
    "priority": priority,
    "green": green,
    "issuing": issuing,
    "issuing-failed": issuing_failed,
    "ticket": ticket,
    "ticket-printer": ticket_printer,
    "find": find,
    "status": status,
    "rate": rate,
    "rate-sent": rate_sent,
}


def all_samples() -> list[tuple[str, str, bool, ScreenView]]:
    """Every sample in both languages and both text sizes: (name, lang, large, view)."""
    return [
        (name, lang, large, build(lang, large))
        for name, build in SAMPLES.items()
        for lang in LANGS
        for large in (False, True)
    ]
