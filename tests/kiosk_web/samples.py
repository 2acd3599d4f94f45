"""Sample screens for the web kiosk's layout tests, built by hand from ``kiosk/flow/view.py``'s
dataclasses: every kind, in Chinese and English, normal and 大字, with the long cases a real hall
has (12 departments, 40 services, ten materials, a printer problem, a case with 12 steps), so
the page is tried on what stretches it, not on what fits."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.flow.view import Choice, Field, Group, Lines, Qr, ScreenView, Text

LANGS = ("zh", "en")


def tr(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def top(lang: str, large: bool, *, back: bool = True, home: bool = True, voice: bool = False) -> tuple[Choice, ...]:
    """The top bar as the flow builds it: no back on home and ticket, no home on home."""
    out = []
    if back:
        out.append(Choice("top-back", tr(lang, "返回", "Back"), role="nav"))
    if home:
        out.append(Choice("top-home", tr(lang, "首页", "Home"), role="nav"))
    out += [
        Choice("top-large", tr(lang, "大字", "Large text"), role="switch", selected=large),
        Choice("top-voice", tr(lang, "语音引导", "Voice guide"), role="switch", selected=voice),
        Choice("top-lang", tr(lang, "English", "中文"), role="switch"),
    ]
    return tuple(out)


def view(
    kind: str,
    title: str,
    lang: str,
    large: bool,
    parts: list,
    *,
    back: bool = True,
    home: bool = True,
    voice: bool = False,
    notice: str = "",
    version: int = 7,
) -> ScreenView:
    return ScreenView(
        kind=kind,
        title=title,
        lang=lang,
        large=large,
        voice=voice,
        top=top(lang, large, back=back, home=home, voice=voice),
        parts=tuple(parts),
        notice=notice,
        version=version,
    )


DEPARTMENTS = [
    ("公安局", "Public Security Bureau"),
    ("市场监督管理局", "Administration for Market Regulation"),
    ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("医疗保障局", "Healthcare Security Administration"),
    ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("自然资源和规划局", "Natural Resources and Planning Bureau"),
    ("税务局", "Taxation Bureau"),
    ("民政局", "Civil Affairs Bureau"),
    ("卫生健康委员会", "Health Commission"),
    ("交通运输局", "Transport Bureau"),
    ("住房公积金管理中心", "Housing Provident Fund Centre"),
    ("不动产登记中心", "Real Estate Registration Centre"),
]

SERVICES = [
    ("居民身份证换领", "Renewal of resident identity card", 0),
    ("居民身份证挂失补领", "Replacement of a lost identity card", 0),
    ("户口迁入登记", "Household registration: moving in", 0),
    ("户口迁出登记", "Household registration: moving out", 0),
    ("居住证申领", "Residence permit application", 0),
    ("出入境证件办理", "Exit-entry documents", 0),
    ("个体工商户设立登记", "Registration of an individual business", 1),
    ("有限责任公司设立登记", "Registration of a limited liability company", 1),
    ("企业变更登记", "Change of company registration", 1),
    ("企业注销登记", "Deregistration of a company", 1),
    ("食品经营许可", "Food business licence", 1),
    ("城乡居民基本养老保险参保登记", "Enrolment in urban and rural residents' basic pension insurance", 2),
    ("失业保险金申领", "Unemployment insurance benefit claim", 2),
    ("社会保障卡申领", "Social security card application", 2),
    ("就业登记", "Employment registration", 2),
    ("职业技能等级证书查询", "Vocational skill certificate enquiry", 2),
    ("城乡居民医疗保险参保登记", "Enrolment in residents' medical insurance", 3),
    ("异地就医备案", "Registration for medical treatment in another city", 3),
    ("门诊慢特病待遇认定", "Chronic and special outpatient disease benefits", 3),
    ("医疗费用手工报销", "Manual reimbursement of medical expenses", 3),
    ("建筑工程施工许可", "Construction permit", 4),
    ("商品房预售许可", "Pre-sale permit for commercial housing", 4),
    ("公共租赁住房申请", "Public rental housing application", 4),
    ("建设用地规划许可", "Planning permit for construction land", 5),
    ("建设工程规划许可", "Planning permit for construction works", 5),
    ("发票申领", "Invoice application", 6),
    ("个人所得税汇算清缴", "Individual income tax annual settlement", 6),
    ("税务登记信息变更", "Change of tax registration details", 6),
    ("婚姻登记", "Marriage registration", 7),
    ("最低生活保障申请", "Minimum living allowance application", 7),
    ("高龄津贴申领", "Old-age allowance application", 7),
    ("残疾人两项补贴申请", "Disability allowances application", 7),
    ("出生医学证明办理", "Medical birth certificate", 8),
    ("母婴保健技术服务执业许可", "Licence for maternal and infant health services", 8),
    ("道路运输经营许可", "Road transport business licence", 9),
    ("出租汽车驾驶员从业资格", "Taxi driver qualification", 9),
    ("住房公积金提取", "Withdrawal of housing provident fund", 10),
    ("住房公积金贷款", "Housing provident fund loan", 10),
    ("不动产首次登记", "First registration of real estate", 11),
    ("不动产转移登记", "Transfer registration of real estate", 11),
]

CLOCK = {"zh": "2025年6月3日 星期二 09:41", "en": "Tue 3 June 2025 09:41"}
SCAN_ADDRESS = "http://hall.local/s/T20250603-A001-7KQ2P"


def home(lang: str, large: bool, *, notice: bool = False) -> ScreenView:
    hall = tr(lang, "昆山市政务服务中心", "Kunshan Government Service Centre")
    parts = [
        Text("hall-name", hall, "title", "head"),
        Text("clock", CLOCK[lang], "clock", "head"),
        Text(
            "hours",
            tr(
                lang,
                "开放时间:工作日 08:30-17:30(午休 12:00-13:30)",
                "Open: working days 08:30-17:30 (lunch break 12:00-13:30)",
            ),
            "body",
            "head",
        ),
    ]
    if notice:
        parts.append(
            Text(
                "notice",
                tr(
                    lang,
                    "通知:6月10日(周二)下午系统升级,暂停办理不动产业务。",
                    "Notice: real estate services are paused on the afternoon of 10 June.",
                ),
                "note",
                "head",
            )
        )
    parts += [
        Text("welcome", tr(lang, "您好!请选择您要办理的业务", "Welcome! What would you like to do?"), "heading"),
        Group(
            "tiles",
            (
                Choice(
                    "go-guide",
                    tr(lang, "办事指南", "Service guide"),
                    tr(lang, "查看事项材料、流程和窗口", "Materials, steps and windows"),
                    "tile",
                ),
                Choice(
                    "go-take",
                    tr(lang, "取号", "Take a ticket"),
                    tr(lang, "选择事项,领取排队号", "Choose a service, get a number"),
                    "tile",
                ),
                Choice(
                    "go-rate",
                    tr(lang, "评价", "Rate a service"),
                    tr(lang, "对刚才的服务进行评价", "Tell us how we did"),
                    "tile",
                ),
                Choice(
                    "go-status",
                    tr(lang, "查询", "Check status"),
                    tr(lang, "查看排队或办件进度", "Your queue or case progress"),
                    "tile",
                ),
            ),
        ),
    ]
    return view(
        "home",
        hall,
        lang,
        large,
        parts,
        back=False,
        home=False,
        notice=tr(lang, "网络暂时不通,系统正在自动重试……", "The network is down for now; retrying automatically…")
        if notice
        else "",
    )


def guide(lang: str, large: bool, *, keypad: bool = True, count: int = 40) -> ScreenView:
    services = SERVICES[:count]
    themes = Group(
        "themes",
        (
            Choice("theme-all", tr(lang, "全部", "All"), role="filter", selected=True),
            Choice("theme-personal", tr(lang, "个人办事", "For individuals"), role="filter"),
            Choice("theme-enterprise", tr(lang, "企业办事", "For businesses"), role="filter"),
        ),
        heading=tr(lang, "按主题", "By theme"),
        area="side",
    )
    departments = Group(
        "departments",
        (
            Choice("dept-all", tr(lang, "全部部门", "All departments"), role="filter", selected=True),
            *(Choice(f"dept-{i + 1}", tr(lang, zh, en), role="filter") for i, (zh, en) in enumerate(DEPARTMENTS)),
        ),
        heading=tr(lang, "按部门", "By department"),
        area="side",
        scroll=True,
    )
    parts: list = [
        themes,
        departments,
        Field(
            "search",
            "SHB",
            tr(
                lang,
                "输入事项名称或拼音首字母,如 SHB(社会保障卡)",
                "Type a service name or its pinyin initials, e.g. SHB",
            ),
        ),
        Group("search-actions", (Choice("toggle-keys", tr(lang, "拼音键盘", "Pinyin keys"), selected=keypad),)),
    ]
    if keypad:
        letters = "QWERTYUIOPASDFGHJKLZXCVBNM"
        parts.append(
            Group(
                "keypad",
                (
                    *(Choice(f"key-{c}", c, role="key") for c in letters),
                    Choice("key-delete", tr(lang, "删除", "Delete"), role="key"),
                    Choice("key-clear", tr(lang, "清空", "Clear"), role="key"),
                ),
                rows=(10, 9, 9),
            )
        )
    parts += [
        Text("result-count", tr(lang, f"共找到 {len(services)} 个事项", f"{len(services)} services found")),
        Group(
            "results",
            tuple(
                Choice(f"svc-{i + 1}", tr(lang, zh, en), tr(lang, *DEPARTMENTS[d]), "service")
                for i, (zh, en, d) in enumerate(services)
            ),
            scroll=True,
        ),
    ]
    return view("guide", tr(lang, "办事指南", "Service guide"), lang, large, parts)


def item(lang: str, large: bool, *, loading: bool = False) -> ScreenView:
    materials = tr(
        lang,
        "\n".join(
            [
                "1. 居民身份证原件及复印件(1份)",
                "2. 户口簿原件及复印件(本人页、户主页)",
                "3. 近期免冠一寸彩色照片2张",
                "4. 《城乡居民基本养老保险参保登记表》(窗口领取或网上下载)",
                "5. 银行卡或存折复印件(本人名下一类账户)",
                "6. 委托他人办理的,提供授权委托书及受托人身份证",
                "7. 重度残疾人提供残疾人证原件",
                "8. 低保对象提供最低生活保障证明",
                "9. 特困人员提供特困供养证明",
                "10. 其他需要提交的证明材料(以窗口审核为准)",
            ]
        ),
        "\n".join(
            [
                "1. Resident identity card, original and one copy",
                "2. Household register, original and copies of the holder's and your page",
                "3. Two recent one-inch colour photos",
                "4. Enrolment form (from the window or downloaded)",
                "5. Copy of a bank card or passbook in your own name",
                "6. If someone applies for you: a letter of authorisation and their identity card",
                "7. Persons with severe disabilities: disability certificate",
                "8. Recipients of minimum living allowance: proof of the allowance",
                "9. Persons in extreme poverty: proof of support",
                "10. Any other proof the window asks for",
            ]
        ),
    ).split("\n")
    parts: list = [
        Text(
            "item-name",
            tr(lang, "城乡居民基本养老保险参保登记", "Enrolment in urban and rural residents' basic pension insurance"),
            "heading",
            "head",
        )
    ]
    if loading:
        parts.append(Text("item-loading", tr(lang, "正在读取最新的办事指南……", "Loading the latest guide…")))
    parts += [
        Lines(
            "item-what",
            tr(lang, "办理对象", "Who can apply"),
            (
                tr(
                    lang,
                    "年满16周岁(不含在校学生),非国家机关和事业单位工作人员,不属于职工基本养老保险覆盖范围的城乡居民",
                    "Residents aged 16 or over (not students) who are not covered by the employees' basic pension",
                ),
            ),
        ),
        Lines(
            "item-case-type",
            tr(lang, "办件类型", "Type of case"),
            (tr(lang, "即办件:材料齐全,当场办结", "Done on the spot when the materials are complete"),),
        ),
        Lines("item-materials", tr(lang, "申请材料", "Materials"), tuple(materials)),
        Lines("item-fees", tr(lang, "收费标准", "Fees"), (tr(lang, "不收费", "Free of charge"),)),
        Lines(
            "item-procedure",
            tr(lang, "办理流程", "Procedure"),
            (
                tr(lang, "1. 取号排队", "1. Take a ticket"),
                tr(lang, "2. 窗口受理,审核材料", "2. The window checks your materials"),
                tr(lang, "3. 信息录入,当场办结", "3. Details entered, done on the spot"),
            ),
        ),
        Lines(
            "item-where",
            tr(lang, "办理地点", "Where"),
            (
                tr(lang, "一楼B区 12号、13号窗口", "Ground floor, area B, windows 12 and 13"),
                tr(lang, "工作日 08:30-17:30", "Working days 08:30-17:30"),
            ),
        ),
        Group(
            "item-actions",
            (
                Choice("item-take", tr(lang, "为此事项取号", "Take a ticket for this"), role="primary"),
                Choice("item-special", tr(lang, "优先号 / 绿色通道", "Priority / green channel")),
            ),
            area="foot",
        ),
    ]
    return view("item", tr(lang, "事项详情", "Service details"), lang, large, parts)


def confirm(lang: str, large: bool, *, message: str = "") -> ScreenView:
    parts = [
        Text(
            "confirm-service",
            tr(lang, "城乡居民基本养老保险参保登记", "Enrolment in urban and rural residents' basic pension insurance"),
            "heading",
        ),
        Text(
            "confirm-where",
            tr(
                lang,
                "请到 一楼B区 12号、13号窗口 办理\n前面还有 3 人等候",
                "Go to ground floor, area B, windows 12 and 13\n3 people ahead of you",
            ),
        ),
        Text("confirm-message", message, "problem"),
        Group(
            "confirm-actions",
            (
                Choice("confirm-normal", tr(lang, "确认取号", "Take a ticket"), role="primary"),
                Choice(
                    "confirm-priority",
                    tr(lang, "优先号", "Priority"),
                    tr(lang, "老年人、残疾人、孕妇等", "Older people, disabled people, pregnant women"),
                ),
                Choice(
                    "confirm-green",
                    tr(lang, "绿色通道", "Green channel"),
                    tr(lang, "持中心发放的通道码", "With a code from the centre"),
                ),
            ),
        ),
    ]
    return view("confirm", tr(lang, "确认取号", "Confirm"), lang, large, parts)


def priority(lang: str, large: bool) -> ScreenView:
    parts = [
        Text(
            "priority-text",
            tr(
                lang,
                "优先号供70岁以上老年人、残疾人、孕妇及怀抱婴儿者使用。\n窗口将核验您的证件,请如实选择。",
                "Priority numbers are for people over 70, disabled people, pregnant women and\n"
                "people carrying babies. The window will check your documents.",
            ),
        ),
        Group(
            "priority-actions",
            (
                Choice("priority-yes", tr(lang, "我符合,取优先号", "I qualify: priority ticket"), role="primary"),
                Choice("priority-no", tr(lang, "取普通号", "Ordinary ticket")),
            ),
        ),
    ]
    return view("priority", tr(lang, "优先号", "Priority ticket"), lang, large, parts)


def code_keypad(lang: str) -> Group:
    keys = "1234567890QWERTYUIOPASDFGHJKLZXCVBNM"
    return Group(
        "keypad",
        (
            *(Choice(f"key-{c}", c, role="key") for c in keys),
            Choice("key-delete", tr(lang, "删除", "Delete"), role="key"),
            Choice("key-clear", tr(lang, "清空", "Clear"), role="key"),
        ),
        rows=(10, 10, 9, 9),
    )


def green(lang: str, large: bool) -> ScreenView:
    parts = [
        Text(
            "green-text",
            tr(
                lang,
                "请输入服务中心发放的绿色通道码(6位字母或数字)",
                "Type the green channel code the centre gave you (6 letters or digits)",
            ),
        ),
        Field("green-code", "GX7", tr(lang, "通道码", "Channel code"), max_length=6, focus=True, submit="green-submit"),
        Group("green-actions", (Choice("green-submit", tr(lang, "确 定", "OK"), role="primary"),)),
        Text(
            "green-message",
            tr(lang, "通道码不正确,请核对后重新输入", "That code is not right; please check it"),
            "problem",
        ),
        code_keypad(lang),
    ]
    return view("green", tr(lang, "绿色通道", "Green channel"), lang, large, parts)


def issuing(lang: str, large: bool, *, failed: bool = False) -> ScreenView:
    parts = [
        Text(
            "issue-service",
            tr(lang, "城乡居民基本养老保险参保登记", "Enrolment in residents' basic pension"),
            "heading",
        )
    ]
    if failed:
        parts += [
            Text("issue-failed", tr(lang, "暂时无法取号", "No ticket for now"), "heading"),
            Text(
                "issue-message",
                tr(
                    lang,
                    "今日该事项号源已满,请明天再来或在网上预约。",
                    "Today's numbers for this service are used up. Please come tomorrow or book online.",
                ),
                "problem",
            ),
            Group("issue-actions", (Choice("issue-back", tr(lang, "返回首页", "Back to start"), role="primary"),)),
        ]
    else:
        parts.append(Text("issue-message", tr(lang, "正在为您取号,请稍候……", "Getting your ticket, please wait…")))
    return view("issuing", tr(lang, "取号", "Ticket"), lang, large, parts)


def ticket(lang: str, large: bool, *, printer_failed: bool = False, badge: str = "") -> ScreenView:
    parts: list = [
        Text(
            "ticket-service",
            tr(lang, "城乡居民基本养老保险参保登记", "Enrolment in residents' basic pension"),
            "heading",
        ),
        Text("ticket-number-label", tr(lang, "您的号码", "Your number")),
        Text("ticket-number", "A001", "number"),
    ]
    if badge:
        parts.append(Text("ticket-badge", badge, "badge"))
    parts += [
        Text("ticket-ahead", tr(lang, "前面还有 3 人等候", "3 people ahead of you")),
        Text("ticket-wait", tr(lang, "预计等候约 15 分钟", "About 15 minutes")),
        Text(
            "ticket-where",
            tr(
                lang,
                "请到 一楼B区 12号、13号窗口\n留意叫号屏和语音叫号",
                "Go to ground floor, area B, windows 12 and 13\nWatch the screens for your number",
            ),
        ),
    ]
    if printer_failed:
        parts.append(
            Text(
                "ticket-print",
                tr(
                    lang,
                    "打印机暂时无法出票(缺纸)。请用手机拍下本屏幕,或扫描右侧二维码保存号码;叫号时向窗口出示号码和核对码即可办理。",
                    "The printer cannot print your ticket right now (out of paper). Please take a photo of this screen "
                    "or scan the QR code to keep your number; show the number and check code when called.",
                ),
                "problem",
            )
        )
    else:
        parts.append(
            Text("ticket-print", tr(lang, "号票已打印,请取走", "Your ticket is printed: please take it"), "printed")
        )
    parts += [
        Qr(
            "ticket-qr",
            SCAN_ADDRESS,
            tr(lang, "用手机扫描二维码,可随时查看排队进度", "Scan with your phone to follow your place in the queue"),
        ),
        Text("ticket-code", tr(lang, "核对码:7KQ2P", "Check code: 7KQ2P"), "body", "side"),
        Group(
            "ticket-actions", (Choice("ticket-done", tr(lang, "完成,返回首页", "Done"), role="primary"),), area="foot"
        ),
    ]
    return view("ticket", tr(lang, "取号成功", "Your ticket"), lang, large, parts, back=False)


def find(lang: str, large: bool) -> ScreenView:
    parts = [
        Text(
            "find-scan-text",
            tr(
                lang,
                "请将号票或回执上的二维码对准下方扫描口",
                "Hold the QR code on your ticket or receipt to the scanner",
            ),
        ),
        Field("find-scan", "", tr(lang, "等待扫码……", "Waiting for a scan…"), focus=True, max_length=200),
        Text("find-or", tr(lang, "或者 手动输入", "or type them in")),
        Field(
            "find-number",
            "A0",
            tr(lang, "号码,如 A001", "Number, e.g. A001"),
            label=tr(lang, "号码", "Number"),
            max_length=8,
        ),
        Field(
            "find-code",
            "",
            tr(lang, "号票上的5位核对码", "The 5-character check code"),
            label=tr(lang, "核对码", "Check code"),
            max_length=5,
            submit="find-submit",
        ),
        Group("find-actions", (Choice("find-submit", tr(lang, "查 找", "Find"), role="primary"),)),
        Text(
            "find-message",
            tr(lang, "没有找到这个号码,请核对号码和核对码", "No ticket with that number and code"),
            "problem",
        ),
        code_keypad(lang),
    ]
    return view("find", tr(lang, "查询 / 评价", "Find your ticket"), lang, large, parts)


def status(lang: str, large: bool) -> ScreenView:
    steps = [
        tr(lang, f"2025-05-{10 + i:02d} {zh}", f"2025-05-{10 + i:02d} {en}")
        for i, (zh, en) in enumerate(
            [
                ("受理:一楼B区12号窗口", "Received at window 12"),
                ("材料初审通过", "Materials checked"),
                ("补正通知:需补交户口簿复印件", "Asked for a copy of the household register"),
                ("已补正材料", "Copy received"),
                ("转交业务科审核", "Sent to the business office"),
                ("业务科审核通过", "Business office approved"),
                ("会签:社保中心", "Joint sign-off: social security centre"),
                ("会签:医保中心", "Joint sign-off: healthcare centre"),
                ("分管领导审批", "Approved by the head of department"),
                ("制证中", "Certificate being made"),
                ("制证完成", "Certificate made"),
                ("待领取:一楼A区3号窗口", "Ready to collect at window 3"),
            ]
        )
    ]
    parts = [
        Text("status-heading", tr(lang, "办件 2025-0512-0031", "Case 2025-0512-0031"), "heading"),
        Text("status-state", tr(lang, "当前状态:已办结,待领取证件", "Now: finished, ready to collect")),
        Lines(
            "status-ticket_lines",
            tr(lang, "号票", "Ticket"),
            (
                tr(lang, "号码 A001,2025年5月10日 09:12 取号", "A001, taken 10 May 2025 09:12"),
                tr(lang, "已于 09:31 在12号窗口办理", "Served at window 12 at 09:31"),
            ),
        ),
        Lines(
            "status-case_facts",
            tr(lang, "办件信息", "Case"),
            (
                tr(lang, "事项:城乡居民基本养老保险参保登记", "Service: enrolment in residents' basic pension"),
                tr(lang, "申请人:张**", "Applicant: Zhang **"),
                tr(lang, "法定时限:20个工作日,承诺时限:10个工作日", "Time limit: 20 working days (promised 10)"),
            ),
        ),
        Lines(
            "status-case_materials",
            tr(lang, "材料", "Materials"),
            (
                tr(lang, "✔ 居民身份证", "✔ Identity card"),
                tr(lang, "✔ 户口簿复印件(已补正)", "✔ Household register (sent later)"),
                tr(lang, "✔ 参保登记表", "✔ Enrolment form"),
            ),
        ),
        Lines("status-case_steps", tr(lang, "办理进度", "Progress"), tuple(steps)),
        Lines("status-case_rating", "", (tr(lang, "您已评价:好。感谢您的评价!", "You rated this: good. Thank you!"),)),
        Group(
            "status-actions",
            (
                Choice("status-rate", tr(lang, "评价本次服务", "Rate this service"), role="primary"),
                Choice("status-refresh", tr(lang, "刷新", "Refresh")),
            ),
            area="foot",
        ),
    ]
    return view("status", tr(lang, "办件进度", "Progress"), lang, large, parts)


REASONS = [
    ("等候时间长", "Long wait"),
    ("工作人员态度不好", "Unfriendly staff"),
    ("材料要求不清楚", "Unclear requirements"),
    ("需要多次跑腿", "Had to come back"),
    ("办理速度慢", "Slow service"),
    ("环境设施不便", "Poor facilities"),
]


def rate(lang: str, large: bool, *, sent: bool = False) -> ScreenView:
    if sent:
        parts = [
            Text(
                "rate-outcome", tr(lang, "评价已提交,感谢您的支持!", "Thank you: your rating has been sent."), "heading"
            ),
            Group("rate-actions", (Choice("rate-done", tr(lang, "完成,返回首页", "Done"), role="primary"),)),
        ]
        return view("rate", tr(lang, "服务评价", "Rate the service"), lang, large, parts)
    parts = [
        Text(
            "rate-question",
            tr(
                lang,
                "A001 号,12号窗口 王**\n您对本次服务满意吗?",
                "Ticket A001, window 12, Wang **\nHow satisfied are you with the service?",
            ),
            "heading",
        ),
        Group(
            "ratings",
            (
                Choice("rate-good", tr(lang, "好", "Good"), role="rating"),
                Choice("rate-fairly_good", tr(lang, "较好", "Fairly good"), role="rating"),
                Choice("rate-average", tr(lang, "一般", "Average"), role="rating"),
                Choice("rate-poor", tr(lang, "较差", "Poor"), role="rating", selected=True),
            ),
        ),
        Text("reasons-text", tr(lang, "请选择不满意的原因(可多选)", "What went wrong? (choose any)")),
        Group(
            "reasons",
            tuple(
                Choice(f"reason-{i + 1}", tr(lang, zh, en), role="reason", selected=i in (0, 4))
                for i, (zh, en) in enumerate(REASONS)
            ),
        ),
        Field("rate-comment", "", tr(lang, "其他意见或建议(选填)", "Anything else? (optional)"), max_length=200),
        Group("rate-actions", (Choice("rate-submit", tr(lang, "提交评价", "Send"), role="primary"),)),
        Text("rate-message", "", "problem"),
    ]
    return view("rate", tr(lang, "服务评价", "Rate the service"), lang, large, parts)


# name -> (lang, large) -> view. The names are those of the screenshots and test ids.
SAMPLES: dict[str, Callable[[str, bool], ScreenView]] = {
    "home": home,
    "home-offline": lambda lang, large: home(lang, large, notice=True),
    "guide": guide,
    "guide-nokeys": lambda lang, large: guide(lang, large, keypad=False),
    "item": item,
    "item-loading": lambda lang, large: item(lang, large, loading=True),
    "confirm": confirm,
    "confirm-problem": lambda lang, large: confirm(
        lang,
        large,
        message=tr(lang, "该窗口已暂停,已为您改派13号窗口", "Window 12 is paused: you will go to window 13"),
    ),
    "priority": priority,
    "green": green,
    "issuing": issuing,
    "issuing-failed": lambda lang, large: issuing(lang, large, failed=True),
    "ticket": lambda lang, large: ticket(lang, large, badge=tr(lang, "优先", "Priority")),
    "ticket-printer": lambda lang, large: ticket(
        lang, large, printer_failed=True, badge=tr(lang, "绿色通道", "Green channel")
    ),
    "find": find,
    "status": status,
    "rate": rate,
    "rate-sent": lambda lang, large: rate(lang, large, sent=True),
}


def all_samples() -> list[tuple[str, str, bool, ScreenView]]:
    """Every sample in both languages and both text sizes: (name, lang, large, view)."""
    return [
        (name, lang, large, build(lang, large))
        for name, build in SAMPLES.items()
        for lang in LANGS
        for large in (False, True)
    ]
