"""What the server says about cases and the working-day calendar, Simplified Chinese first.

Every refusal says what to do next; none of RULES §10's phrases (the server's catalog test reads
this one too, through ``hall_server.messages.MESSAGES``)."""

from __future__ import annotations

CASE_MESSAGES: dict[str, dict[str, str]] = {
    "case_not_found": {
        "zh": "没有找到这件办件,请核对办件编号或扫描通知书上的二维码后再试。",
        "en": "We could not find that case. Please check the case number or scan the QR code on the notice.",
    },
    "case_window_required": {
        "zh": "请在您签到的窗口登记办件(请先签到窗口)。",
        "en": "Please register cases at the window you are signed in at (sign in to a window first).",
    },
    "case_window_not_yours": {
        "zh": "这个窗口不是您签到的窗口,请在本人签到的窗口登记办件。",
        "en": "You are not signed in at this window. Please register cases at your own window.",
    },
    "case_service_not_at_window": {
        "zh": "这个事项不由本窗口办理,请引导申请人到办理该事项的窗口,或请业务科登记。",
        "en": "This window does not handle that item. Please guide the applicant to its window, or ask 业务科.",
    },
    "case_ticket_not_at_window": {
        "zh": "这张票今天不是由本窗口叫号的,请选择正在办理的票号。",
        "en": "That ticket was not called at this window today. Please choose the ticket being served.",
    },
    "case_department_not_found": {
        "zh": "没有找到所选的部门,请重新选择参与联办的部门。",
        "en": "We could not find a chosen department. Please choose the joint case's departments again.",
    },
    "case_joint_needs_departments": {
        "zh": "联办件至少需要两个部门,请选择协办部门。",
        "en": "A joint case needs two or more departments. Please choose its co-departments.",
    },
    "case_urgent_center_only": {
        "zh": "急办件由中心业务科凭急办件通知单指定,请联系业务科。",
        "en": "Urgent cases are designated by the center's business section. Please contact 业务科.",
    },
    "case_back_entry_center_only": {
        "zh": "补录以往受理日期的办件请由业务科办理。",
        "en": "Cases accepted on an earlier date are entered by the business section (业务科).",
    },
    "case_accepted_in_future": {
        "zh": "受理日期不能晚于今天,请核对日期。",
        "en": "The date of acceptance cannot be after today. Please check the date.",
    },
    "case_lead_center_only": {
        "zh": "联办件的牵头部门按规定确定;如需另行指定,请由业务科办理。",
        "en": "A joint case's lead department follows the rules; to set another, please ask 业务科.",
    },
    "case_urgent_note_required": {
        "zh": "请填写急办件通知单的内容(事由与要求)。",
        "en": "Please write the urgent notice's text (what and why).",
    },
    "case_reason_required": {
        "zh": "请填写理由,它将写在通知书上并存档。",
        "en": "Please write the reason; it goes on the notice and into the record.",
    },
    "case_material_unknown": {
        "zh": "“{name}”不在本事项的材料清单中,请按清单勾选。",
        "en": "'{name}' is not on this item's list of materials. Please tick from the list.",
    },
    "case_missing_required": {
        "zh": "补办件请一次性列明所有需补齐的材料。",
        "en": "For a supplement case, please list every missing material at once.",
    },
    "case_materials_incomplete": {
        "zh": "还缺少材料:{names}。请登记为补办件并一次性告知,或收齐后再登记。",
        "en": "Materials still missing: {names}. Please register a supplement case, or register once all are in.",
    },
    "case_id_number_invalid": {
        "zh": "身份证号码有误(应为18位,最后一位可为X),请核对证件后重新输入。",
        "en": "The ID card number looks wrong (18 characters, the last may be X). Please check and type it again.",
    },
    "case_credit_code_invalid": {
        "zh": "统一社会信用代码有误(应为18位),请核对营业执照后重新输入。",
        "en": "The unified social credit code looks wrong (18 characters). Please check the licence and type it again.",
    },
    "case_phone_invalid": {
        "zh": "手机号码有误,请输入11位手机号或带区号的固定电话。",
        "en": "The phone number looks wrong. Please give an 11-digit mobile or a landline with its area code.",
    },
    "case_not_yours": {
        "zh": "这件办件不属于您所在窗口的部门,请联系承办部门或业务科。",
        "en": "This case is not your window's department's. Please contact its department or 业务科.",
    },
    "case_wrong_status": {
        "zh": "这件办件现在不能这样办理(当前状态:{state}),请刷新后查看。",
        "en": "This case cannot do that now (its status: {state_en}). Please refresh and look again.",
    },
    "case_materials_date": {
        "zh": "材料补齐日期应在受理日期({accepted})之后、今天之前,请核对。",
        "en": "The date the materials were complete must be between acceptance ({accepted}) and today.",
    },
    "case_not_joint": {
        "zh": "这件办件不是联办件,请直接办结。",
        "en": "This is not a joint case; please finish it directly.",
    },
    "case_joint_waiting": {
        "zh": "还有协办部门未办结:{names}。请待各部门办结后再办结本件。",
        "en": "Co-departments still working: {names}. Please finish once every department has signed off.",
    },
    "case_review_done": {
        "zh": "这件退回件已经复核过,请查看复核结果。",
        "en": "This returned case has been reviewed already. Please see the decision.",
    },
    "case_review_not_requested": {
        "zh": "这件办件没有待决定的复核申请。",
        "en": "This case has no review request waiting for a decision.",
    },
    "case_extension_days": {
        "zh": "延期天数应为1至60个工作日,且办件须已有期限。",
        "en": "An extension is 1 to 60 working days, for a case that has a deadline.",
    },
    "rating_case_not_finished": {
        "zh": "办件办结后即可评价,感谢您的耐心。",
        "en": "You can rate the case once it is finished. Thank you for your patience.",
    },
    "case_no_notice": {
        "zh": "即办件当场办结,不出具通知书;如需凭证请打印办结回执。",
        "en": "Immediate cases are finished on the spot and have no notice.",
    },
    "calendar_wrong_year": {
        "zh": "{day} 不在 {year} 年内,请只填写这一年的日期。",
        "en": "{day} is not in {year}. Please give only that year's days.",
    },
    "calendar_no_change": {
        "zh": "{day} 本来就是这样(工作日照常上班、周末照常休息),只需填写放假的工作日和调休上班的周末。",
        "en": "{day} is like that anyway. Give only weekdays off and weekend days worked.",
    },
    "calendar_duplicate_day": {
        "zh": "同一天填写了两次,请每天只写一行。",
        "en": "A day is given twice. Please give each day once.",
    },
}
