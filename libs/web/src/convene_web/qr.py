"""Ticket QR codes as PNG images, for the ticket email and the attendee's page.

ZXing (zxing-cpp) encodes: a regular QR code at error correction level M, with the mask chosen
as the standard asks. Regular, not Micro QR: phone cameras and most check-in scanners do not read
Micro QR. The image is written here as a 1-bit PNG of a few hundred bytes. A ticket email is
drawn for every attendee, so this is on the path of every ticket (docs/benchmarks.md, B4): about
0.12 ms in all, where segno took 0.5.
"""

import struct
import zlib

import zxingcpp

SCALE = 6  # pixels per module: about 2.5 cm across at 200 dpi for a ticket's code
_BITS = bytes.maketrans(b"\x00\xff", b"01")  # ZXing's dark and light modules; 1 is white in a 1-bit PNG
_WIDE = {ord("0"): "0" * SCALE, ord("1"): "1" * SCALE}  # one module, SCALE pixels across


def qr_png(text: str) -> bytes:
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = code.to_image(scale=1, add_quiet_zones=True)  # one byte a module, four of light around
    rows, across = modules.shape
    cells = bytes(memoryview(modules))  # type: ignore[arg-type]  # a buffer; the stub does not say so
    width = across * SCALE
    row_bytes = (width + 7) // 8
    padding = "0" * (row_bytes * 8 - width)
    scanlines = []
    for start in range(0, rows * across, across):
        bits = cells[start : start + across].translate(_BITS).decode().translate(_WIDE) + padding
        scanlines.append((b"\x00" + int(bits, 2).to_bytes(row_bytes, "big")) * SCALE)  # filter 0, SCALE high
    # A small window: the rows repeat within a few hundred bytes, and a default compressor's set-up
    # alone would cost more than all the rest.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 12, 4)
    data = compressor.compress(b"".join(scanlines)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, rows * SCALE, 1, 0, 0, 0, 0)  # 1-bit greyscale, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
