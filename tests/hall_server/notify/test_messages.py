"""The texts' words: every kind in both languages, polite (RULES §10), short enough to send."""

from __future__ import annotations

import pytest

from hall_server.cases.views import mask_phone
from hall_server.notify.messages import KINDS, TEXT_LIMIT, TEXTS, compose
from hall_server.notify.outbox import normalise_phone, retry_delay
from tests.hall_server.test_security import FORBIDDEN

ZH = {
    "hall": "昆山市行政审批服务中心", "case_no": "20261125-0012", "item": "建设工程规划许可证核发",
    "materials": ["建设工程设计方案总平面图", "法定代表人身份证复印件", "土地使用权证明"],
    "place": "二楼21号窗口(规划局)", "status_url": "https://zwfw.ks.gov.cn/s/Xk3v9QpL2mTz8aBc",
    "reason": "申报项目不符合城市总体规划,现场踏勘不具备建设条件",
}
EN = {**ZH, "hall": "Kunshan Service Center", "item": "construction planning permit",
      "materials": ["site plan of the design", "copy of the legal representative's ID", "proof of land use rights"],
      "place": "window 21, 2nd floor (planning bureau)",
      "reason": "the project does not fit the city plan and the site inspection found the conditions unmet"}
SEGMENTS = 3  # a long SMS of three parts: 67 Chinese characters each, or 153 plain Latin ones


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_no_text_uses_a_forbidden_phrase_and_each_has_both_languages(key):
    assert set(TEXTS[key]) == {"zh", "en"}
    for phrase in FORBIDDEN:
        assert phrase not in TEXTS[key]["zh"] and phrase not in TEXTS[key]["en"]
    assert "谢谢您的合作" in TEXTS[key]["zh"] and TEXTS[key]["zh"].startswith("【{hall}】")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("place", ["二楼21号窗口(规划局)", ""])
def test_every_text_fits_three_segments_with_realistic_values(kind, place):
    zh = compose(kind, {**ZH, "place": place})
    en = compose(kind, {**EN, "place": place and EN["place"]}, "en")
    for phrase in FORBIDDEN:
        assert phrase not in zh
    assert len(zh) <= 67 * SEGMENTS, (len(zh), zh)
    assert len(en) <= 153 * SEGMENTS and en.isascii(), (len(en), en)  # plain GSM letters: 153 a segment
    assert "20261125-0012" in zh and "20261125-0012" in en and "{" not in zh + en


def test_what_each_text_says():
    needed = compose("materials_needed", ZH)
    assert "建设工程设计方案总平面图、法定代表人身份证复印件、土地使用权证明" in needed  # every item at once
    assert "二楼21号窗口(规划局)" in needed and "自材料补齐之日起" in needed
    assert "site plan of the design, copy of" in compose("materials_needed", EN, "en")
    finished = compose("finished", ZH)
    assert "已办结" in finished and "二楼21号窗口(规划局)领取" in finished and ZH["status_url"] in finished
    assert "无需再到中心" in compose("finished", {**ZH, "place": ""}) and ZH["status_url"] in compose(
        "finished", {**ZH, "place": ""})
    returned = compose("returned", ZH)
    assert ZH["reason"] in returned and "业务科申请复核" in returned and "退回件通知书" in returned
    assert compose("returned", ZH, "fr") == returned  # a language the catalog lacks: Chinese


def test_a_very_long_value_is_cut_and_the_link_kept():
    long_list = [f"第{n}项补充材料(须加盖单位公章的原件及复印件各一份)" for n in range(40)]
    text = compose("materials_needed", {**ZH, "materials": long_list})
    assert len(text) == TEXT_LIMIT and "…" in text and text.endswith("谢谢您的合作。")
    text = compose("finished", {**ZH, "item": "许" * 600})
    assert len(text) <= TEXT_LIMIT and text.endswith(ZH["status_url"] + " 谢谢您的合作。")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        compose("accepted", ZH)


def test_numbers_as_a_gateway_takes_them_and_as_the_office_shows_them():
    assert normalise_phone("138 0013 5678") == "13800135678"
    assert normalise_phone("+86 138-0013-5678") == "13800135678"
    assert normalise_phone("0512-57379911") == "051257379911"
    assert normalise_phone("") == normalise_phone(None) == normalise_phone("无") == ""
    assert mask_phone("13800135678") == "138****5678"
    assert mask_phone("051257379911") == "051*****9911"
    assert mask_phone("12345") == "*****"  # too short to show any of it


def test_retries_wait_four_times_longer_each_time():
    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [30, 120, 480, 1920, 7200, 7200]
