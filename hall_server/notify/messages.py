"""The texts sent to applicants, Simplified Chinese first, English beside it.

Each text names the hall (the signature in 【】 that Chinese gateways require first), the case
number and the item, and says what to do next, in the words RULES §10 asks for ("请您…",
"对不起,请补全手续再来办理", "谢谢您的合作"). A text is sent as up to three segments of a long SMS
(67 Chinese characters each), so the templates stay short; ``compose`` cuts the longest value
when a value is unusually long, so a text never exceeds the column's 500 characters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hall_queue.text import catalog_text

TEXT_LIMIT = 500  # text_messages.text

TEXTS: dict[str, dict[str, str]] = {
    # 补办件: every missing item at once (一次性告知), where to bring them, when the time limit starts.
    "materials_needed": {
        "zh": "【{hall}】您好,您申办的“{item}”(办件编号{case_no})还需补齐以下材料:{materials}。"
              "请您带齐材料到{place}办理,办理时限自材料补齐之日起计算。谢谢您的合作。",
        "en": "[{hall}] Your application for {item} (case {case_no}) still needs: {materials}. "
              "Please bring them to {place}; the time limit counts from the day the materials are complete. "
              "Thank you.",
    },
    # 办结, with a result to collect at a window.
    "finished": {
        "zh": "【{hall}】您好,您申办的“{item}”(办件编号{case_no})已办结,请您到{place}领取办理结果。"
              "查询进度和评价服务:{status_url} 谢谢您的合作。",
        "en": "[{hall}] Your application for {item} (case {case_no}) is finished. Please collect the result "
              "at {place}. Progress and rating: {status_url} Thank you.",
    },
    # 办结, nothing to collect (no ``place`` given).
    "finished_no_pickup": {
        "zh": "【{hall}】您好,您申办的“{item}”(办件编号{case_no})已办结,您无需再到中心办理。"
              "查询进度和评价服务:{status_url} 谢谢您的合作。",
        "en": "[{hall}] Your application for {item} (case {case_no}) is finished; there is nothing more to do "
              "at the center. Progress and rating: {status_url} Thank you.",
    },
    # 退回件: the reason, what to do, and the review (复核) by 业务科 with the notice.
    "returned": {
        "zh": "【{hall}】您好,对不起,您申办的“{item}”(办件编号{case_no})未能办理,已作退回。原因:{reason}。"
              "请补全手续再来办理;如有异议,可凭退回件通知书向中心业务科申请复核。谢谢您的合作。",
        "en": "[{hall}] We are sorry: your application for {item} (case {case_no}) could not be approved and "
              "is returned. Reason: {reason}. Please complete it and apply again; if you disagree, you may ask "
              "the center's business section to review it, bringing the return notice. Thank you.",
    },
}
KINDS = ("materials_needed", "finished", "returned")  # what the cases code may queue
_JOIN = {"zh": "、", "en": ", "}


def template_key(kind: str, values: Mapping[str, object]) -> str:
    """The catalog entry for a kind: a finished case with no ``place`` has nothing to collect."""
    if kind not in KINDS:
        raise ValueError(f"unknown text kind {kind!r}; one of {', '.join(KINDS)}")
    return "finished_no_pickup" if kind == "finished" and not values.get("place") else kind


def compose(kind: str, values: Mapping[str, object], lang: str = "zh") -> str:
    """The text of ``kind`` filled in (lists joined as the language writes them), at most TEXT_LIMIT long.

    Too long (a very long list of materials or reason) cuts the longest value, ending it with "…",
    rather than the end of the text, which carries the link and what to do.
    """
    key = template_key(kind, values)
    joined = {k: _JOIN.get(lang, "、").join(map(str, v)) if isinstance(v, Sequence) and not isinstance(v, str)
              else str(v) for k, v in values.items()}
    text = catalog_text(TEXTS, key, lang, **joined)
    while len(text) > TEXT_LIMIT:
        longest = max(joined, key=lambda k: len(joined[k]))
        keep = len(joined[longest]) - (len(text) - TEXT_LIMIT) - 1
        if keep < 1:
            return text[:TEXT_LIMIT - 1] + "…"
        joined[longest] = joined[longest][:keep] + "…"
        text = catalog_text(TEXTS, key, lang, **joined)
    return text
