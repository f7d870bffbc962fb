"""Photos and scans as images: the stored copy carries no EXIF (no GPS position, no camera serial), plus a thumbnail.

What is kept as the "original": the full-resolution pixels, turned upright by the EXIF orientation before the
metadata is dropped, re-encoded (JPEG quality 95; PNG losslessly) — not the uploaded bytes, which would carry the
location where the photo was taken. The thumbnail is a JPEG of at most THUMB_SIZE px on its longer side.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

THUMB_SIZE = 320
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is refused before decoding (decompression bombs)


def _open(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("图片像素过多（超过 4000 万像素），请压缩后再上传。", code="too_many_pixels")
            image.load()
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ):
            raise ValidationError("图片已损坏或无法识别，请重新拍摄或选择。", code="bad_image") from None
    return image


def clean_image(upload, ext):
    """(stored copy, thumbnail) as ContentFiles for an uploaded JPEG/PNG: metadata removed, upright."""
    upload.seek(0)
    image = _open(upload.read())
    upload.seek(0)
    image = ImageOps.exif_transpose(image)
    fmt = "PNG" if ext == "png" else "JPEG"
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")  # palette and 16-bit images: the palette would not survive the copy below
    # A fresh image from the pixels alone: no info dict, no EXIF, no XMP, no ICC text chunks travel along.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    stored = io.BytesIO()
    if fmt == "JPEG":
        bare.save(stored, "JPEG", quality=95)
    else:
        bare.save(stored, "PNG", optimize=True)
    thumb = bare.convert("RGB") if bare.mode not in ("RGB", "L") else bare.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=80)
    return ContentFile(stored.getvalue()), ContentFile(small.getvalue())
