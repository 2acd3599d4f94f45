"""`hall ticket-preview`: the demo hall's ticket as printed, QR pointing at the status page."""

import zxingcpp
from PIL import Image

from hall_server.cli import main


def test_preview_prints_a_ticket_whose_qr_opens_the_status_page(tmp_path, capsys):
    out = tmp_path / "ticket.png"
    assert main(["ticket-preview", "--out", str(out), "--public-url", "https://hall.example.cn"]) == 0
    printed = capsys.readouterr().out.split()
    number, url = printed[1], printed[2]
    codes = zxingcpp.read_barcodes(Image.open(out))
    assert [c.text for c in codes] == [url]
    assert url.startswith("https://hall.example.cn/s/") and len(url.rsplit("/", 1)[1]) >= 22
    assert number == "A001"
