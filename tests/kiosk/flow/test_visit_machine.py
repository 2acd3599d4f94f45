"""The kiosk's flow as a state machine: any sequence of touches, typing, scans, server answers,
refusals, outages and idle resets leaves a screen both faces can draw, with the same controls on
every screen, one ticket request per confirmation, and spoken guidance only once asked for."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hall_server.client import ApiError
from hardware.printer.device import PrintResult
from hardware.printer.status import PrinterHealth
from kiosk.flow.effects import Effect, Find, Issue, LoadService, Print, Rate, Speak
from kiosk.flow.hall import HallInfo
from kiosk.flow.take import IssuingScreen
from kiosk.flow.view import Field, Group
from kiosk.flow.visit import Visit
from kiosk.web.render import render_screen

MOMENT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
HALL = HallInfo.of(
    {"id": 1, "name": "测试行政服务中心", "name_en": "Test hall", "hours": "09:00-17:00", "lunch": "12:00-13:00",
     "timezone": "Asia/Shanghai", "notice": "请携带身份证件原件"},
    [{"id": 1, "name": "市场监督管理局", "name_en": "Market Supervision"}, {"id": 2, "name": "公安局"}],
    [{"id": 1, "name": "企业设立登记", "name_en": "Company registration", "department_id": 1, "theme": "enterprise",
      "code": "GS-1"},
     {"id": 2, "name": "居民身份证换领", "department_id": 2, "theme": "personal", "code": "GA-1"},
     {"id": 3, "name": "营业执照变更", "department_id": 1, "theme": "enterprise", "code": "GS-2"}])
DETAIL = {"id": 1, "name": "企业设立登记", "category": "promised", "promised_days": 3, "legal_days": 15,
          "department_name": "市场监督管理局", "materials": [{"name": "设立登记申请书", "kind": "main", "copies": 1}],
          "fees": [], "procedure": ["受理", "审核", "办结"],
          "windows": [{"number": "1", "location": "一楼A区1号窗口"}]}
TICKET = {"number": "A001", "service_id": 1, "service_name": "企业设立登记", "waiting_ahead": 2,
          "estimated_wait_seconds": 300, "where_to_go": [{"number": "1", "location": "一楼A区1号窗口"}],
          "status_url": "http://hall.test/s/abcdefghijklmnop", "status_token": "abcdefghijklmnop",
          "check_code": "7KQ2", "issued_at": MOMENT.isoformat(), "priority": "normal"}
STATUSES = ("waiting", "called", "serving", "finished", "no_show", "cancelled")
REFUSAL = ApiError(409, "closed", "大厅已下班", "The hall is closed")
TOP = {"top-large", "top-voice", "top-lang"}


def answer(effect: Effect, status: str) -> object:
    if isinstance(effect, LoadService):
        return DETAIL
    if isinstance(effect, Issue):
        return TICKET | {"service_id": effect.request.service_id, "priority": effect.request.priority}
    if isinstance(effect, Print):
        return PrintResult.of(status != "cancelled", PrinterHealth.OK if status != "cancelled"
                              else PrinterHealth.PAPER_OUT)
    if isinstance(effect, Find):
        return TICKET | {"kind": "ticket", "status": status, "can_rate": status == "finished", "rating": None}
    if isinstance(effect, Rate):
        return {"message_zh": "感谢您的评价", "message_en": "Thank you"}
    raise AssertionError(effect)


class KioskVisit(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.idle = 0.0
        self.visit = Visit(hall=HALL, clock=lambda: self.idle, now=lambda: MOMENT)
        self.pending: list[Effect] = []
        self.issues: dict[int, list[Issue]] = {}
        self.spoken: list[Speak] = []
        self.last_version = self.visit.version
        self.touched_voice = False

    def collect(self) -> None:
        for effect in self.visit.take_effects():
            if isinstance(effect, Speak):
                assert self.visit.voice, "spoken guidance only once the applicant touched 语音引导"
                assert effect.text and effect.lang == self.visit.lang
                last = (self.spoken[-1].sid, self.spoken[-1].lang) if self.spoken else None
                assert (effect.sid, effect.lang) != last or self.touched_voice, \
                    "a screen is said once as it appears (again when come back to), unless asked again"
                self.spoken.append(effect)
            else:
                self.pending.append(effect)
            if isinstance(effect, Issue):
                self.issues.setdefault(effect.sid, []).append(effect)

    @rule(data=st.data())
    def touch_a_choice_on_the_screen(self, data: st.DataObject) -> None:
        choice = data.draw(st.sampled_from([c.id for c in self.visit.view().choices()]))
        self.touched_voice = choice == "top-voice"
        self.visit.touch(choice, self.visit.version if data.draw(st.booleans()) else None)
        self.collect()
        self.touched_voice = False

    @rule(choice=st.sampled_from(["confirm-normal", "top-back", "svc-1", "ticket-done", "rate-submit", "key-A",
                                  "nonsense", "dept-x", "svc-999"]), behind=st.integers(1, 5))
    def a_late_or_stray_touch(self, choice: str, behind: int) -> None:
        """A double tap, or a page that had not caught up: aimed at a screen that may be gone."""
        self.visit.touch(choice, max(0, self.visit.version - behind))
        self.collect()

    @rule(data=st.data(), typed=st.text("AZ09az /:.s-营业", max_size=12), enter=st.booleans())
    def type_into_a_field(self, data: st.DataObject, typed: str, enter: bool) -> None:
        fields = [p.id for p in self.visit.view().parts if isinstance(p, Field)]
        if fields:
            self.visit.type(data.draw(st.sampled_from(fields)), typed, enter)
            self.collect()

    @rule(code=st.sampled_from(["http://hall.test/s/abcdefghijklmnop", "G1A2B3C4", "6901234567892", ""]))
    def scan(self, code: str) -> None:
        self.visit.scanned(code)
        self.collect()

    @precondition(lambda self: self.pending)
    @rule(data=st.data(), how=st.sampled_from(["arrived", "refused", "retrying"]), status=st.sampled_from(STATUSES))
    def the_server_answers(self, data: st.DataObject, how: str, status: str) -> None:
        effect = self.pending.pop(data.draw(st.integers(0, len(self.pending) - 1)))
        if how == "arrived" or isinstance(effect, Print):
            self.visit.arrived(effect, answer(effect, status))
        elif how == "refused":
            self.visit.refused(effect, REFUSAL)
        else:
            self.visit.retrying(effect)
            self.pending.append(effect)  # still under way
        self.collect()

    @rule(online=st.booleans())
    def the_network(self, online: bool) -> None:
        self.visit.set_online(online)
        self.collect()

    @rule()
    def left_alone(self) -> None:
        self.idle += 120
        self.visit.idle_reset()
        self.collect()
        assert len(self.visit.stack) == 1 and not self.visit.voice
        assert (self.visit.lang, self.visit.large) == ("zh", False)

    @rule()
    def a_tick(self) -> None:
        self.visit.tick()
        self.collect()

    @invariant()
    def both_faces_can_draw_it(self) -> None:
        view = self.visit.view()
        assert render_screen(view)
        ids = [c.id for c in view.choices()]
        assert len(ids) == len(set(ids)), "a choice id twice on one screen"
        top = {c.id for c in view.top}
        assert top >= TOP, "大字, 语音引导 and the language on every screen"
        assert ("top-home" in top) == (view.kind not in ("home",) and self.visit.screen.SHOW_HOME)
        assert all(isinstance(p, Group) or p.id for p in view.parts)

    @invariant()
    def the_version_only_grows(self) -> None:
        assert self.visit.version >= self.last_version
        self.last_version = self.visit.version

    @invariant()
    def one_ticket_request_per_confirmation(self) -> None:
        assert all(len(asked) == 1 for asked in self.issues.values())
        issuing = [s for s in self.visit.stack if isinstance(s, IssuingScreen)]
        assert len(issuing) <= 1


KioskVisit.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
test_the_kiosks_flow = KioskVisit.TestCase
