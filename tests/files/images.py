"""Files made on the spot for the upload tests: photos with GPS EXIF, other allowed types, and
things that only pretend to be them."""

import io

import pillow_heif
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def photo_with_gps(size=(80, 40), fmt: str = "JPEG") -> bytes:
    """A photo as a phone takes it: camera make, GPS position (Ho Chi Minh City) and an
    orientation that says "turn 90° to show" (so the stored copy must be 40 x 80)."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PlanPal Camera"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (10.0, 45.0, 30.0), 3: "E", 4: (106.0, 40.0, 0.0)})
    buffer = io.BytesIO()
    left_red = Image.new("RGB", size, (0, 0, 255))
    left_red.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    left_red.save(buffer, fmt, exif=exif)
    return buffer.getvalue()


def heic_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", size, (10, 120, 10))).save(buffer, format="HEIF")
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (32, 32), color) for color in ((255, 0, 0), (0, 255, 0))]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=100,
        loop=0,
        comment=b"taken at home",
    )
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
GPX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<gpx version="1.1" creator="PlanPal tests" xmlns="http://www.topografix.com/GPX/1/1">'
    b'<trk><trkseg><trkpt lat="11.94" lon="108.44"/></trkseg></trk></gpx>\n'
)
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
XML_BOMB_GPX = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">]><gpx>&a;</gpx>'
