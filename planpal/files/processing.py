"""What an uploaded file really is, and the copy of it PlanPal keeps.

The type comes from the bytes (puremagic's signatures, then a decoder), never from the name or
the client's Content-Type. Images are decoded and written anew with Pillow: orientation applied,
EXIF/XMP (GPS, camera serials) dropped, the colour profile kept, at most IMAGE_MAX_EDGE pixels
on the long side; HEIC becomes JPEG (browsers cannot show it). PDFs and GPX tracks are kept as
they are and only ever served as downloads."""

import io
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

import pillow_heif
import puremagic
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from planpal.core.exceptions import InvalidInput, UnsupportedMediaType

pillow_heif.register_heif_opener()

IMAGE_MAX_EDGE = 4096
THUMBNAIL_EDGE = 512
# Decoding cost bound: a 25 MB PNG can claim a billion pixels (a decompression bomb).
MAX_PIXELS = 60_000_000
SNIFF_BYTES = 8192

# Pillow format → (what we store as, its content type, extension).
_IMAGE_OUTPUT = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("GIF", "image/gif", "gif"),
    "HEIF": ("JPEG", "image/jpeg", "jpg"),
}
# Content types puremagic may name for each accepted kind (its first match can be a cousin:
# HEIC is an ISO media file, so "video/mp4" may come first).
_SNIFFED = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
    "image/heif": "HEIF",
    "image/heic": "HEIF",
    "image/heif-sequence": "HEIF",
    "image/heic-sequence": "HEIF",
    "application/pdf": "PDF",
    "application/xml": "XML",
    "text/xml": "XML",
}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis")
ALLOWED_NAMES = "JPEG, PNG, WebP, HEIC, GIF, PDF, GPX"


@dataclass(frozen=True)
class Prepared:
    """The bytes to store, and what the API says about them."""

    kind: str  # "image" | "file"
    content_type: str
    extension: str
    data: bytes
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def prepare(file) -> Prepared:
    """Sniff, check and (for images) re-encode an uploaded file (a file-like object)."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    kind = sniff(head)
    file.seek(0)
    if kind == "PDF":
        return Prepared("file", "application/pdf", "pdf", file.read())
    if kind == "GPX":
        return Prepared("file", "application/gpx+xml", "gpx", file.read())
    return _prepare_image(file, kind)


def sniff(head: bytes) -> str:
    """The accepted kind of these first bytes (a Pillow format name, "PDF" or "GPX"), or
    UnsupportedMediaType naming what they look like."""
    try:
        matches = puremagic.magic_string(head) if head else []
    except puremagic.PureError:
        matches = []
    kinds = {_SNIFFED[m.mime_type] for m in matches if m.mime_type in _SNIFFED}
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        kinds.add("HEIF")
    if "XML" in kinds or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        kinds.discard("XML")
        if _is_gpx(head):
            kinds.add("GPX")
    for kind in ("JPEG", "PNG", "WEBP", "GIF", "HEIF", "PDF", "GPX"):
        if kind in kinds:
            return kind
    seen = next((m.mime_type for m in matches if m.mime_type), "") or _("unknown")
    raise UnsupportedMediaType(
        _("This kind of file cannot be shared (it looks like %(seen)s). Allowed: %(allowed)s.")
        % {"seen": seen, "allowed": ALLOWED_NAMES},
        code="unsupported_file_type",
        fields={"file": [_("Allowed: %(allowed)s.") % {"allowed": ALLOWED_NAMES}]},
    )


def _is_gpx(head: bytes) -> bool:
    """The document's root element is <gpx> (GPX 1.0/1.1, any namespace prefix). Documents
    with a DTD are refused: GPX needs none, and entities are a way to attack parsers."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", head, re.IGNORECASE):
        return False
    parser: XMLPullParser[Element] = XMLPullParser(events=("start",))
    try:
        parser.feed(head)
        for event in parser.read_events():  # ("start", element): the only events asked for
            element = event[-1]
            return isinstance(element, Element) and element.tag.rsplit("}", 1)[-1] == "gpx"
    except ParseError:
        return False
    return False


def _bad_image() -> InvalidInput:
    return InvalidInput(
        _("This image cannot be read; it may be damaged."),
        code="invalid_image",
        fields={"file": [_("The image data is damaged or incomplete.")]},
    )


def _prepare_image(file, kind: str) -> Prepared:
    try:
        image = Image.open(file, formats=[kind])
        if image.width * image.height > MAX_PIXELS:
            raise InvalidInput(
                _("This image is too large (%(w)s x %(h)s pixels).")
                % {"w": image.width, "h": image.height},
                code="image_too_large",
                fields={"file": [_("At most %(n)s megapixels.") % {"n": MAX_PIXELS // 10**6}]},
            )
        output_format, content_type, extension = _IMAGE_OUTPUT[kind]
        if kind == "GIF" and getattr(image, "is_animated", False):
            data, size = _reencode_animation(image)
            first = image.copy()
        else:
            first = _upright(image)
            data, size = _reencode(first, output_format)
        thumbnail = _thumbnail(first)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _bad_image() from None
    return Prepared("image", content_type, extension, data, size[0], size[1], thumbnail)


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says, loaded, at most IMAGE_MAX_EDGE."""
    image = ImageOps.exif_transpose(image)
    image.load()
    if max(image.size) > IMAGE_MAX_EDGE:
        image.thumbnail((IMAGE_MAX_EDGE, IMAGE_MAX_EDGE), Image.Resampling.LANCZOS)
    return image


def _clean_info(image: Image.Image) -> dict:
    """Encoder options that keep how the image looks and nothing about where it was taken."""
    keep = {}
    if image.info.get("icc_profile"):
        keep["icc_profile"] = image.info["icc_profile"]
    if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
        keep["transparency"] = image.info["transparency"]
    return keep


def _reencode(image: Image.Image, output_format: str) -> tuple[bytes, tuple[int, int]]:
    options = _clean_info(image)
    image.info.clear()  # no encoder may copy EXIF/XMP/comments from here
    if output_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.pop("transparency", None)
        options.update(quality=85, optimize=True)
    elif output_format == "WEBP":
        options.update(quality=85)
    elif output_format == "PNG":
        options.update(optimize=True)
    buffer = io.BytesIO()
    image.save(buffer, output_format, **options)
    return buffer.getvalue(), image.size


def _reencode_animation(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    """An animated GIF frame by frame (GIFs carry no orientation, and comments are dropped)."""
    duration, loop = image.info.get("duration"), image.info.get("loop", 0)
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    for frame in frames:
        frame.info.clear()
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=duration, loop=loop
    )
    return buffer.getvalue(), image.size


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    if thumb.mode not in ("RGB", "RGBA"):
        has_alpha = "transparency" in thumb.info or thumb.mode in ("LA", "PA")
        thumb = thumb.convert("RGBA" if has_alpha else "RGB")
    thumb.info.clear()
    buffer = io.BytesIO()
    thumb.save(buffer, "WEBP", quality=80)
    return buffer.getvalue()
