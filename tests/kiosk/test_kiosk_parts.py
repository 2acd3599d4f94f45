"""The kiosk's pure parts: its words, the guide search, scanned codes, the on-screen QR code and
ticket number, and its configuration."""

from __future__ import annotations

import ast
import string
from functools import cache
from pathlib import Path

import pytest
import yaml
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kiosk.app import main
from kiosk.config import ConfigError, load_config, parser
from kiosk.guide_search import ServiceIndex, pinyin_keys
from kiosk.messages import LANGUAGES, MESSAGES, date_line, text
from kiosk.scan import check_code, status_token, ticket_number
from kiosk.widgets.big_number import GLYPHS, big_lines
from kiosk.widgets.qr import qr_lines

KIOSK = Path(__file__).parents[2] / "kiosk"
DEMO_CATALOG = Path(__file__).parents[2] / "hall_server" / "catalog" / "demo_catalog.yaml"
FORBIDDEN = ("不知道", "你去问", "不行", "重填", "有牌子", "自己看", "快点", "要下班了", "已经告诉你了", "没看我正忙吗",
             "有意见找头头去")

# --- words ---------------------------------------------------------------------------------------


def test_every_message_is_in_chinese_and_english() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_no_forbidden_phrase_anywhere_in_the_kiosk() -> None:
    for path in KIOSK.rglob("*"):
        if path.suffix in (".py", ".tcss", ".html", ".js", ".css"):
            source = path.read_text(encoding="utf-8")
            for phrase in FORBIDDEN:
                assert phrase not in source, f"{phrase} in {path}"


def test_screens_take_their_words_from_the_catalog() -> None:
    """No Chinese string literal in the flow, the faces or the widgets: everything shown comes from
    messages.py (the web page's templates and script hold no words either)."""
    for template in [*KIOSK.glob("web/templates/*.html"), KIOSK / "web" / "static" / "kiosk.js"]:
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in template.read_text(encoding="utf-8")), template
    for path in [*KIOSK.glob("flow/*.py"), *KIOSK.glob("widgets/*.py"), *KIOSK.glob("web/*.py"), KIOSK / "app.py",
                 KIOSK / "core.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                assert not any("\u4e00" <= ch <= "\u9fff" for ch in node.value), f"{path.name}: {node.value!r}"


def test_the_wall_clock_line() -> None:
    from datetime import datetime

    moment = datetime(2026, 11, 25, 10, 0)
    assert date_line(moment, "zh") == "2026年11月25日 星期三 10:00"
    assert date_line(moment, "en") == "Wed 25 Nov 2026, 10:00"


def test_messages_fall_back_to_chinese_for_an_unknown_language() -> None:
    assert text("home.take", "fr") == MESSAGES["home.take"]["zh"]


# --- the guide search ----------------------------------------------------------------------------


@cache
def demo_services() -> list[dict]:
    catalog = yaml.safe_load(DEMO_CATALOG.read_text(encoding="utf-8"))
    return [dict(svc, id=i, department_id=0) for i, svc in enumerate(catalog["halls"][0]["services"])]


@cache
def demo_index() -> ServiceIndex:
    return ServiceIndex(demo_services())


def test_yyzz_finds_the_business_licence_services_of_the_demo_hall() -> None:
    index = demo_index()
    found = [s["name"] for s in index.search("yyzz")]
    assert found and all("营业执照" in name for name in found)
    assert "公司设立登记(营业执照)" in found
    assert [s["name"] for s in index.search("营业执照")] == found


def test_search_by_english_name_and_department() -> None:
    index = ServiceIndex([{"id": 1, "name": "发票申领", "name_en": "Invoice request", "department_id": 7},
                          {"id": 2, "name": "综合受理", "name_en": "General intake", "department_id": 8}],
                         {7: "税务局", 8: "综合窗口"})
    assert [s["id"] for s in index.search("invoice")] == [1]
    assert [s["id"] for s in index.search("税务")] == [1]
    assert [s["id"] for s in index.search("")] == [1, 2]
    assert index.search("!!") == []


def test_a_match_at_the_start_ranks_first() -> None:
    index = ServiceIndex([{"id": 1, "name": "公司设立登记(营业执照)", "department_id": 0},
                          {"id": 2, "name": "营业执照遗失补领", "department_id": 0}])
    assert [s["id"] for s in index.search("yyzz")] == [2, 1]


@given(st.sampled_from(demo_services()))
def test_every_service_is_found_by_its_own_initials(service: dict) -> None:
    index = demo_index()
    initials, full = pinyin_keys(service["name"])
    assert service in index.search(initials)
    assert service in index.search(full[:6])


# --- scanned and typed codes ---------------------------------------------------------------------

TOKENS = st.text(string.ascii_letters + string.digits + "-_", min_size=16, max_size=64)


@given(TOKENS, st.sampled_from(["http://127.0.0.1:8000", "https://hall.example.cn", "http://10.0.0.2"]),
       st.sampled_from(["", "?lang=en", "#top", "/"]))
def test_the_token_comes_out_of_any_status_url(token: str, base: str, tail: str) -> None:
    assert status_token(f"{base}/s/{token}{tail}") == token
    assert status_token(f"  {token}\r\n") == token


@pytest.mark.parametrize("code", ["", "6901234567892", "G1A2B3C4", "http://hall.example.cn/board", "/s/",
                                  "http://x/s/short", "http://x/s/" + "a" * 65, "WIFI:S:hall;;"])
def test_codes_that_are_not_tickets(code: str) -> None:
    assert status_token(code) is None


def test_ticket_numbers_and_check_codes_as_typed() -> None:
    assert ticket_number(" a 001 ") == "A001"
    assert ticket_number("A1") is None and ticket_number("001") is None
    assert check_code("7kq3") == "7KQ3"
    assert check_code("7K") is None


# --- the QR code and the number on screen --------------------------------------------------------


def lines_to_image(lines: list[str], scale: int = 6) -> Image.Image:
    rows: list[list[bool]] = []
    for line in lines:
        rows.append([ch in "▀█" for ch in line])
        rows.append([ch in "▄█" for ch in line])
    img = Image.new("L", (len(rows[0]) * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                img.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    return img


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/s/gwxj87JI2076U765jORFdYJmsQxbW8Ly",
                                 "https://zwfw.kunshan.example.cn/s/" + "Xy7-kQ2mZp9aLr4TqW_0123456789abcdefghijkl"])
def test_the_qr_code_on_screen_scans_back_to_the_status_url(url: str) -> None:
    decoded = zxingcpp.read_barcodes(lines_to_image(qr_lines(url)))
    assert [d.text for d in decoded] == [url]


def test_the_big_number_is_seven_rows_of_blocks() -> None:
    assert all(len(glyph) == 7 and all(len(row) == 5 for row in glyph) for glyph in GLYPHS.values())
    assert big_lines("A") == ["  ██████", "██      ██", "██      ██", "██████████", "██      ██", "██      ██",
                              "██      ██"]
    lines = big_lines("A001")
    assert len(lines) == 7 and lines[3].startswith("██████████  ██  ██  ██")
    assert big_lines("b12") == big_lines("B12")


# --- configuration -------------------------------------------------------------------------------


def test_the_config_file_and_command_line_overrides(tmp_path: Path) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text("""
server = "http://10.0.0.2:8000"
kiosk_token = "from-file"
language = "en"
idle_seconds = 90

[printer]
kind = "network"
target = "192.168.1.50"
profile = "gb18030-58mm"

[scanner]
url = "socket://127.0.0.1:7001"

[web]
port = 9000

[voice]
dir = "/var/tmp/kiosk-voice"
""", encoding="utf-8")
    config = load_config(parser().parse_args(["--config", str(conf), "--kiosk-token", "from-cli", "--idle", "30",
                                              "--printer-target", "192.168.1.51:9100", "--hall", "3"]))
    assert (config.server, config.kiosk_token, config.language, config.idle_seconds) == \
        (("http://10.0.0.2:8000",), "from-cli", "en", 30)
    assert (config.printer.kind, config.printer.target, config.printer.profile.width_dots) == \
        ("network", "192.168.1.51:9100", 384)
    assert (config.scanner_url, config.web_port, config.hall_id) == ("socket://127.0.0.1:7001", 9000, 3)
    assert config.voice_dir == Path("/var/tmp/kiosk-voice")


def test_several_servers_from_the_file_or_the_command_line(tmp_path: Path) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text('server = ["http://a:8000", "http://b:8000"]\nkiosk_token = "t"', encoding="utf-8")
    assert load_config(parser().parse_args(["--config", str(conf)])).server == ("http://a:8000", "http://b:8000")
    args = parser().parse_args(["--config", str(conf), "--server", "http://c:8000,http://d:8000"])
    assert load_config(args).server == ("http://c:8000", "http://d:8000")


@pytest.mark.parametrize(("content", "complaint"), [
    ('server = "http://x"', "kiosk_token is missing"),
    ('kiosk_token = "t"\nserver = 8000', "server must be a URL"),
    ('kiosk_token = "t"\nlanguage = "fr"', "language must be one of"),
    ('kiosk_token = "t"\nidel_seconds = 5', "unknown setting"),
    ('kiosk_token = "t"\n[printer]\nkind = "fax"', "[printer]"),
    ('kiosk_token = "t"\n[printer]\nprofile = "no-such"', "unknown printer profile"),
    ('kiosk_token = = "t"', "not valid TOML"),
])
def test_a_wrong_config_says_which_setting_to_fix(tmp_path: Path, content: str, complaint: str) -> None:
    conf = tmp_path / "kiosk.toml"
    conf.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=complaint.replace("[", r"\[")):
        load_config(parser().parse_args(["--config", str(conf)]))


def test_main_refuses_a_config_without_a_token(capsys) -> None:
    assert main(["--server", "http://127.0.0.1:1"]) == 2
    assert "kiosk_token is missing" in capsys.readouterr().err
