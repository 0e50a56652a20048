"""Fuzzing the attachment validator: for any bytes and any name it accepts or refuses with a
ValidationError, never anything else (SEC-23)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.messaging.rules import prepare_attachment

MAGIC = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b"MZ"]
)
NAMES = st.sampled_from(["a.pdf", "a.png", "a.jpg", "a.gif", "a.webp", "a.exe", "a", "../a.pdf", "a.PDF"])


@settings(max_examples=150, deadline=None)
@given(prefix=MAGIC, body=st.binary(max_size=2000), name=NAMES)
def test_validator_only_ever_refuses_with_validation_error(prefix, body, name):
    upload = SimpleUploadedFile(name, prefix + body)
    try:
        content_type, content = prepare_attachment(upload)
    except ValidationError:
        return
    assert content_type in {"application/pdf", "image/png", "image/jpeg", "image/webp"}
    assert content.size > 0
