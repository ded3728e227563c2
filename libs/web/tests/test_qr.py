"""Ticket QR codes: what a scanner at the door reads from the image."""

import io

import pytest
import segno
import zxingcpp
from PIL import Image

from convene_web.qr import QUIET_ZONE, SCALE, qr_png


def scanned(png: bytes) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("ticket_code", ["E038ECB3E2", "0000000000", "FFFFFFFFFF", "3A7B19C0D4"])
def test_a_ticket_code_scans_back_as_a_regular_qr_code(ticket_code: str) -> None:
    [found] = scanned(qr_png(ticket_code))
    assert (found.text, found.format) == (ticket_code, zxingcpp.BarcodeFormat.QRCode)


def test_the_image_is_the_code_with_its_quiet_zone_at_six_pixels_a_module() -> None:
    image = Image.open(io.BytesIO(qr_png("E038ECB3E2")))
    modules = len(segno.make_qr("E038ECB3E2", error="m", mask=0).matrix)
    assert image.size == ((modules + 2 * QUIET_ZONE) * SCALE,) * 2
    assert image.getpixel((0, 0)) == 255  # the quiet zone is light
    assert image.getpixel((QUIET_ZONE * SCALE, QUIET_ZONE * SCALE)) == 0  # the finder pattern's corner is dark


def test_the_scanner_tells_micro_qr_apart() -> None:
    # The control: segno's own choice for ten characters is a Micro QR code, which the scanner
    # reports as such, so the test above can see the difference.
    buffer = io.BytesIO()
    segno.make("E038ECB3E2", error="m").save(buffer, kind="png", scale=SCALE)
    [found] = scanned(buffer.getvalue())
    assert found.format == zxingcpp.BarcodeFormat.MicroQRCode
