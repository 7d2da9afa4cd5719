"""Photos are resized and leave without their metadata (GPS position, camera, comments)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from portal import uploads

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_jpeg(width=3000, height=2000, orientation=6) -> bytes:
    """A JPEG as a phone saves it: EXIF with a GPS position, a camera make and an orientation tag."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, width // 2, height // 4))  # a blue block top-left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (10.0, 21.0, 36.0), 3: "E", 4: (106.0, 21.0, 54.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"home of Nguyen Van An")
    return out.getvalue()


def test_a_phone_photo_is_resized_turned_upright_and_stripped():
    data = phone_jpeg()
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the input really carries a position

    cleaned = uploads.clean_image(data, uploads.JPEG)

    with Image.open(io.BytesIO(cleaned)) as result:
        assert result.format == "JPEG"
        # Orientation 6 means "rotate 90° clockwise to view": 3000x2000 shows as 2000x3000, then fits 1600.
        assert result.size == (1067, 1600)
        assert not result.getexif()
        assert "exif" not in result.info
        assert "comment" not in result.info
    assert b"PhoneMaker" not in cleaned and b"Nguyen" not in cleaned
    assert len(cleaned) < len(data)


def test_png_text_chunks_are_dropped_and_small_images_keep_their_size():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Tran Thi B, 0912345678")
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 255)).save(out, "PNG", pnginfo=info)

    cleaned = uploads.clean_image(out.getvalue(), uploads.PNG)

    with Image.open(io.BytesIO(cleaned)) as result:
        assert result.size == (300, 200)
        assert "Author" not in result.info
    assert b"0912345678" not in cleaned


def test_damaged_or_gigantic_images_are_refused_with_a_reason():
    broken = b"\xff\xd8\xff\xe0" + b"\x00" * 200
    with pytest.raises(ValidationError) as damaged:
        uploads.clean_image(broken, uploads.JPEG)
    assert damaged.value.code == "image_damaged"

    huge = io.BytesIO()
    Image.new("L", (8000, 6000)).save(huge, "PNG")  # 48 megapixels, tiny on disk
    with pytest.raises(ValidationError) as too_big:
        uploads.clean_image(huge.getvalue(), uploads.PNG)
    assert too_big.value.code == "image_size"


def test_store_image_keeps_the_digest_of_what_is_stored(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    import hashlib

    from django.db import models

    class Photo(uploads.StoredFile):
        file = models.FileField(upload_to="photos/")

        class Meta:
            app_label = "portal"
            managed = False

    record = uploads.store_image(Photo(), SimpleUploadedFile("IMG_0001.JPG", phone_jpeg(800, 600, 1)))

    stored = record.file.read()
    assert record.sha256 == hashlib.sha256(stored).hexdigest()
    assert record.size == len(stored)
    assert record.content_type == uploads.JPEG
    assert record.original_name == "IMG_0001.JPG"
    assert b"PhoneMaker" not in stored

    with pytest.raises(ValidationError):  # a page renamed .jpg is still refused by content
        uploads.store_image(Photo(), SimpleUploadedFile("x.jpg", b"<html><script>1</script></html>"))
