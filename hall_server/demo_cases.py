"""The demo's cases (办件): what the simulated windows register for the applicants they serve,
and what a simulated 业务科 does with them, so every case type shows up in a minute.

At the window: most applicants leave with a case (some only asked a question): 即办件 finished on
the spot, 承诺件 and 联办件 left running, 补办件 waiting for materials, now and then a 退回件. At
the center: materials arrive, departments sign off, promised cases finish, now and then an 急办件
is designated, and applicants rate finished cases by the QR on their notice.
"""

from __future__ import annotations

import asyncio
import random
from datetime import date

from hall_server.cases.identity import id_check_digit
from hall_server.client import ApiError, HallClient, Unreachable

CASE_TYPES = ["immediate"] * 9 + ["promised"] * 6 + ["supplement"] * 2 + ["joint", "returned"]
SHOWCASE = ("supplement", "joint", "returned", "promised", "immediate")  # the first cases: one of each
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
COMPANIES = ["昆山示范科技有限公司", "昆山新城建设发展有限公司", "昆山顺达物流有限公司", "昆山精工机械有限公司"]
RETURN_REASONS = ["主件《申请书》未提供,请备齐后再来办理", "申请事项不属于本中心受理范围,请向市级主管部门申请"]
SUBJECTS = ["construction", "renovation", "utilities", "individual", "other"]


def fake_applicant(rng: random.Random) -> dict:
    """A made-up applicant with a well-formed ID card number (its check digit right) and a mobile."""
    if rng.random() < 0.2:
        return {"name": rng.choice(COMPANIES), "kind": "company", "id_number": "", "phone": _phone(rng)}
    born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    body = f"320583{born:%Y%m%d}{rng.randint(100, 999)}"
    check = id_check_digit(body)
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    return {"name": name, "kind": "person", "id_number": body + check, "phone": _phone(rng)}


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


async def register_for(staff: HallClient, rng: random.Random, hall_id: int, window: dict, ticket: dict,
                       materials: dict[int, list[str]], departments: list[int], showcase: list[str]) -> dict | None:
    """The window registers a case for the applicant it is serving (None: a question, no case). The
    hall's first cases are one of each type (``showcase``, shared by the windows), then by chance."""
    if not showcase and rng.random() < 0.25:
        return None
    svc = ticket["service_id"]
    if svc not in materials:
        materials[svc] = [m["name"] for m in (await staff.get_service(svc)).get("materials", [])]
    listed = materials[svc]
    case_type = showcase.pop(0) if showcase else rng.choice(CASE_TYPES)
    extra: dict = {"materials_received": listed}
    if case_type == "supplement":
        if not listed:
            case_type = "promised"
        else:
            extra["materials_received"] = listed[: rng.randint(0, len(listed) - 1)]
    if case_type == "returned":
        extra = {"reason": rng.choice(RETURN_REASONS)}
    if case_type == "joint":
        others = [d for d in departments if d != window["department_id"]]
        extra |= {"departments": rng.sample(others, k=min(len(others), rng.randint(1, 2))),
                  "subject": rng.choice(SUBJECTS)}
    return await staff.register_case(svc, case_type, fake_applicant(rng), ticket_id=ticket["id"],
                                     window_id=window["id"], **extra)


async def business_section(url: str, account: dict, hall_id: int, served: set[int], say, rng: random.Random,
                           every: float) -> None:
    """业务科 and the departments behind the windows: move the open cases on, designate an urgent one now
    and then; applicants rate some finished cases by their notice's QR."""
    async with HallClient(url) as office, HallClient(url) as public:
        await office.login(account["username"], account["password"])
        services = [s for s in await office.list_services(hall_id) if s["id"] in served]
        rounds = 0
        while True:
            await asyncio.sleep(every)
            rounds += 1
            try:
                await _move_cases(office, public, hall_id, say, rng)
                if services and (rounds == 2 or rng.random() < 0.1):  # one early, then now and then
                    svc = await office.get_service(rng.choice(services)["id"])
                    case = await office.register_case(svc["id"], "urgent", fake_applicant(rng),
                                                      urgent_note="市重点项目,请当日优先办理",
                                                      materials_received=[m["name"] for m in svc["materials"]])
                    say(f"急办件 {case['case_number']} {case['service_name']} 直送{case['window_number']}号窗口")
            except ApiError as exc:
                say(f"业务科: {exc.message_zh}")
            except Unreachable:
                pass


async def _move_cases(office: HallClient, public: HallClient, hall_id: int, say, rng: random.Random) -> None:
    for case in await office.list_cases(hall_id, due="open", limit=50):
        if rng.random() > 0.3:
            continue
        if case["status"] == "awaiting_materials":
            arrived = max(date.today().isoformat(), case["accepted_on"])  # the hall's day may be ahead of ours
            done = await office.complete_materials(case["id"], arrived)
            say(f"材料补齐 {case['case_number']} 期限 {done['deadline']}")
        elif case["status"] == "in_review":
            await office.return_case(case["id"], rng.choice(RETURN_REASONS))
        elif case["case_type"] == "joint":
            part = next((d for d in case["departments"] if d["signed_off_at"] is None and d["role"] == "co"), None)
            if part is not None:
                await office.sign_off_case(case["id"], part["department_id"])
                say(f"会签 {case['case_number']} {part['name']}")
            else:
                await office.finish_case(case["id"])
        elif case["status"] == "in_progress":
            done = await office.finish_case(case["id"])
            say(f"办结 {done['case_number']} {done['type_name_zh']} {done['service_name']}")
            if rng.random() < 0.5 and done["rating"] is None:  # 一事一评: not when rated at the window already
                await public.submit_rating(done["status_token"], rng.choice(["good", "good", "fairly_good"]))
