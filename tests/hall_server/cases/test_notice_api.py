"""The notice as the window and the office fetch it: a PDF per case, one page per copy, whose QR
opens the case's own status page."""

from __future__ import annotations

import pytest

from hall_server.client import ApiError
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON
from tests.hall_server.cases.test_notice import page_qr, page_texts


async def test_a_supplement_cases_notice_lists_what_is_missing_and_its_qr_opens_the_case(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON,
                                     window_id=hall.hall.windows[1], materials_received=GS1_MATERIALS[:1])
    pdf = await staff.case_notice_pdf(case["id"])
    pages = page_texts(pdf)
    assert len(pages) == 3 and "第三联" in pages[2] and "申请人" in pages[2]
    assert all("公司章程" in p and "股东身份证明复印件" in p and case["case_number"] in p for p in pages)
    assert page_qr(pdf, 2) == [case["status_url"]]
    status = await staff.lookup_status(page_qr(pdf, 2)[0].rsplit("/", 1)[1])
    assert status["kind"] == "case" and status["case_number"] == case["case_number"]


async def test_an_immediate_case_has_no_notice(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-2"], "immediate", PERSON, window_id=hall.hall.windows[1])
    with pytest.raises(ApiError) as e:
        await staff.case_notice_pdf(case["id"])
    assert e.value.status == 404 and "即办件" in e.value.message_zh
