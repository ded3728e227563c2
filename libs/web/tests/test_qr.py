"""Ticket QR codes: what a scanner at the door reads from the image."""

import io

import pytest
import zxingcpp
from PIL import Image

from convene_web.qr import SCALE, qr_png


def scanned(png: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("ticket_code", ["E038ECB3E2", "0000000000", "FFFFFFFFFF", "3A7B19C0D4"])
def test_a_ticket_code_scans_back_as_a_regular_qr_code(ticket_code: str) -> None:
    [found] = scanned(qr_png(ticket_code))
    assert (found.text, found.format, found.ec_level) == (ticket_code, zxingcpp.BarcodeFormat.QRCode, "M")


def test_the_image_is_the_code_in_its_quiet_zone_at_six_pixels_a_module() -> None:
    image = Image.open(io.BytesIO(qr_png("E038ECB3E2")))
    assert image.mode == "1"
    assert image.size == ((21 + 2 * 4) * SCALE,) * 2  # a version 1 code: 21 modules, 4 of light each side
    assert image.getpixel((4 * SCALE - 1, 4 * SCALE - 1)) == 255  # the quiet zone is light
    assert image.getpixel((4 * SCALE, 4 * SCALE)) == 0  # the finder pattern's corner is dark


def test_the_scanner_tells_micro_qr_apart() -> None:
    # The control: a Micro QR code of the same ticket (what segno drew for ten characters) is
    # reported as such, so the test above can see the difference.
    micro = zxingcpp.create_barcode("E038ECB3E2", zxingcpp.BarcodeFormat.MicroQRCode)
    [found] = zxingcpp.read_barcodes(micro.to_image(scale=SCALE))
    assert (found.text, found.format) == ("E038ECB3E2", zxingcpp.BarcodeFormat.MicroQRCode)
