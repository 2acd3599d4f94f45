"""The bus process at the windows, end to end: simulated devices on socket:// (real bytes), the bus
process, and a real hall server on SQLite and PostgreSQL."""

from __future__ import annotations

from hall_server.client import HallClient
from hardware.bus import Bus
from hardware.bus.messages import message
from hardware.serial_bus.devices import DisplayMode, KeypadDisplay, KeypadKey, RatingKey
from hardware.serial_bus.simulator import SimBus
from tests.display.support import until
from tests.harness import RunningHall


def shown_on_keypad(line: SimBus, addr: int, text: str, mode: DisplayMode = DisplayMode.TEXT) -> bool:
    """Whether the keypad was ever told to show this (a refusal stays only a few seconds)."""
    return KeypadDisplay(addr, text, mode) in list(line.received)


async def issue(kiosk: HallClient, hall: RunningHall, code: str = "BK-1") -> dict:
    return await kiosk.issue_ticket(hall.hall.services[code])


async def test_a_keypad_call_at_window_12_calls_the_next_ticket_and_led_12_shows_it(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    staff = await staff_client(12)
    ticket = await issue(kiosk, hall)
    await until(lambda: (line.keypads[12].display, line.keypads[12].display_mode) == ("1", DisplayMode.WAITING))

    line.press(12, KeypadKey.CALL)

    await until(lambda: line.leds[12].text == f"请{ticket['number']}号到12号窗口")
    await until(lambda: line.keypads[12].display == ticket["number"] and line.keypads[12].beeps >= 1)
    desk = await staff.window_desk(hall.hall.windows[12])
    assert desk["current"]["number"] == ticket["number"]
    assert (await kiosk.lookup_status(ticket["status_token"]))["status"] == "called"


async def test_presses_at_one_window_are_carried_out_in_order(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    await staff_client(12)
    first, second = await issue(kiosk, hall), await issue(kiosk, hall)

    line.press(12, KeypadKey.CALL)
    line.press(12, KeypadKey.CALL)  # pressed before the first call is answered: it waits its turn

    await until(lambda: line.leds[12].text == f"请{second['number']}号到12号窗口")
    assert (await kiosk.lookup_status(first["status_token"]))["status"] == "no_show"  # never started: never came
    assert (await kiosk.lookup_status(second["status_token"]))["status"] == "called"


async def test_a_rating_pad_press_after_finish_rates_the_ticket_just_finished(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    await staff_client(12)
    ticket = await issue(kiosk, hall)
    line.press(12, KeypadKey.CALL)
    await until(lambda: line.leds[12].text == f"请{ticket['number']}号到12号窗口")
    line.press(12, KeypadKey.START)
    await until(lambda: line.leds[12].text == f"12号窗口 正在办理{ticket['number']}号")
    assert line.rating_pads[12].prompt is None

    line.press(12, KeypadKey.FINISH)

    await until(lambda: line.rating_pads[12].prompt is not None)
    assert line.rating_pads[12].prompt.text == "12号窗口 12号"  # the window and who served
    assert line.rate(12, RatingKey.FAIRLY_GOOD)
    await until(lambda: line.rating_pads[12].thanked == 1)
    assert (await kiosk.lookup_status(ticket["status_token"]))["rating"] == "fairly_good"
    assert line.leds[12].text == "12号窗口 欢迎您"


async def test_an_applicant_who_never_came_is_not_asked_to_rate_on_the_pad(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client, said: list[str]
) -> None:
    """CALL again before START: the applicant called never came, a no-show. The pad is not asked, and
    RATE on the keypad says NO SHOW (the console says why) instead of asking the pad."""
    await staff_client(12)
    absent, present = await issue(kiosk, hall), await issue(kiosk, hall)
    line.press(12, KeypadKey.CALL)
    await until(lambda: line.leds[12].text == f"请{absent['number']}号到12号窗口")
    line.press(12, KeypadKey.CALL)
    await until(lambda: line.leds[12].text == f"请{present['number']}号到12号窗口")
    assert (await kiosk.lookup_status(absent["status_token"]))["status"] == "no_show"

    line.press(12, KeypadKey.RATE)

    await until(lambda: shown_on_keypad(line, 12, message("keypad_no_show")))
    assert any(f"{absent['number']}号叫号后未到窗口" in line_said for line_said in said)
    assert line.rating_pads[12].prompt is None
    line.press(12, KeypadKey.START)  # the next one came: served, then asked to rate
    line.press(12, KeypadKey.FINISH)
    await until(lambda: line.rating_pads[12].prompt is not None)


async def test_a_staff_card_signs_its_holder_in_and_an_unknown_card_is_refused(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, said: list[str]
) -> None:
    await until(lambda: line.leds[13].text == "13号窗口暂停服务,请到其他窗口办理")

    line.swipe(13, "CARD013")
    line.swipe(3, "CARD999")

    await until(lambda: line.card_readers[13].last_result is True)
    await until(lambda: line.leds[13].text == "13号窗口 欢迎您")
    await until(lambda: line.card_readers[3].last_result is False)
    board = await kiosk.hall_board(hall.hall.hall_id)
    states = {w["number"]: w["state"] for w in board["windows"]}
    assert (states[13], states[3]) == ("open", "closed")
    assert any("这张卡尚未登记" in line_ for line_ in said)  # the server's polite words, on the console


async def test_a_press_at_a_window_nobody_signed_in_to_is_refused_politely(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, said: list[str]
) -> None:
    ticket = await issue(kiosk, hall)

    line.press(13, KeypadKey.CALL)

    await until(lambda: shown_on_keypad(line, 13, message("keypad_sign_in")) and line.keypads[13].beeps >= 2)
    assert any("请先登录本窗口" in line_ for line_ in said)
    assert (await kiosk.lookup_status(ticket["status_token"]))["status"] == "waiting"
    assert line.leds[13].text == "13号窗口暂停服务,请到其他窗口办理"


async def test_calls_from_the_soft_caller_reach_the_led_screen_too(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    staff = await staff_client(12)
    window = hall.hall.windows[12]
    ticket = await issue(kiosk, hall)

    await staff.call_next(window)
    call = f"请{ticket['number']}号到12号窗口"
    await until(lambda: line.leds[12].text == call and line.keypads[12].display == ticket["number"])
    beeps = line.keypads[12].beeps
    await staff.recall_ticket(window)
    await until(lambda: line.keypads[12].beeps > beeps)  # a recall beeps at the window again

    await staff.pause_window(window, "系统维护")
    await until(lambda: line.leds[12].text == "12号窗口暂停服务:系统维护" and line.keypads[12].display == "----")
    await staff.resume_window(window)
    await until(lambda: line.leds[12].text == call)
    await staff.sign_out_window(window)
    await until(lambda: line.leds[12].text == "12号窗口暂停服务,请到其他窗口办理")


async def test_pause_resume_hold_call_back_and_transfer_from_the_keypad(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    await staff_client(12)
    ticket = await issue(kiosk, hall)
    number = ticket["number"]

    line.press(12, KeypadKey.PAUSE)
    await until(lambda: line.leds[12].text == "12号窗口暂停服务,请到其他窗口办理")
    line.press(12, KeypadKey.CALL)
    await until(lambda: shown_on_keypad(line, 12, message("keypad_resume")))
    line.press(12, KeypadKey.RESUME)
    line.press(12, KeypadKey.CALL)
    await until(lambda: line.leds[12].text == f"请{number}号到12号窗口")

    line.press(12, KeypadKey.HOLD)
    await until(lambda: line.leds[12].text == "12号窗口 欢迎您")
    line.press(12, KeypadKey.CALL_BACK, "C999")
    await until(lambda: shown_on_keypad(line, 12, "NO C999"))
    line.press(12, KeypadKey.CALL_BACK, number)
    await until(lambda: line.leds[12].text == f"请{number}号到12号窗口")
    assert (await kiosk.lookup_status(ticket["status_token"]))["status"] == "called"

    line.press(12, KeypadKey.TRANSFER, "13")
    await until(lambda: line.leds[12].text == "12号窗口 欢迎您")
    await staff_client(13)
    await until(lambda: (line.keypads[13].display, line.keypads[13].display_mode) == ("1", DisplayMode.WAITING))
    line.press(13, KeypadKey.CALL)
    await until(lambda: line.leds[13].text == f"请{number}号到13号窗口")


async def test_call_with_no_one_waiting_shows_zero_and_calls_no_one(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    staff = await staff_client(12)
    await until(lambda: line.leds[12].text == "12号窗口 欢迎您" and line.keypads[12].display == "0")
    zero = KeypadDisplay(12, "0", DisplayMode.WAITING)
    before = list(line.received).count(zero)

    line.press(12, KeypadKey.CALL)

    await until(lambda: list(line.received).count(zero) > before)  # the answer to this press
    assert (await staff.window_desk(hall.hall.windows[12]))["current"] is None
    assert line.leds[12].text == "12号窗口 欢迎您"
