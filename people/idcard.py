"""居民身份证号码 (GB 11643-1999): checksum, embedded birth date, encryption at rest, keyed hash and masking.

个人信息保护法: the number is stored only encrypted (Fernet, key from the environment variable PERSONAL_DATA_KEY, kept
apart from the database), with an HMAC for uniqueness and look-up, and a masked form (500***********1234) for display.
For development and tests a key is generated once into var/personal_data_key (never committed), like SECRET_KEY.
PERSONAL_DATA_KEY may list several comma-separated keys: the first encrypts, all decrypt (key rotation).
The HMAC key (PERSONAL_DATA_HASH_KEY) is separate and never moves with rotation: in production it comes from the
environment (`check --deploy` requires it); in development it is fixed once in var/personal_data_hash_key.
"""

import base64
import hashlib
import hmac
import os
import re
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_number_birth_date(value: str):
    """The birth date embedded in a (normalised) number, or None if it is not a real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, birth_date=None) -> str:
    """Return the normalised number or raise ValidationError with a Chinese message."""
    number = normalise_id_number(value)
    if not _PATTERN.match(number):
        raise ValidationError("身份证号码应为18位（前17位为数字，最后一位为数字或X）。", code="id_format")
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对。", code="id_checksum")
    embedded = id_number_birth_date(number)
    if embedded is None or embedded.year < 1900 or embedded > date.today():
        raise ValidationError("身份证号码中的出生日期无效。", code="id_birth")
    if birth_date is not None and embedded != birth_date:
        raise ValidationError(
            f"身份证号码中的出生日期（{embedded:%Y-%m-%d}）与填写的出生日期（{birth_date:%Y-%m-%d}）不一致。",
            code="id_birth_mismatch",
        )
    return number


def mask_id_number(number: str) -> str:
    """500***********1234: the first 3 and last 4 characters, the rest hidden."""
    number = normalise_id_number(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def _key_file():
    return settings.VAR_DIR / "personal_data_key"


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    raw = os.environ.get("PERSONAL_DATA_KEY") or getattr(settings, "PERSONAL_DATA_KEY", "")
    if not raw:
        path = _key_file()
        if not path.exists():
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
        raw = path.read_text().strip()
    keys = tuple(k.strip().encode() for k in raw.split(",") if k.strip())
    for key in keys:
        Fernet(key)  # fail loudly at first use on a malformed key
    return keys


def _fernet():
    return MultiFernet([Fernet(k) for k in _keys()])


def _hash_key_file():
    return settings.VAR_DIR / "personal_data_hash_key"


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    """The HMAC key: PERSONAL_DATA_HASH_KEY from the environment, else the one fixed in var/personal_data_hash_key.

    It must not depend on the encryption keys: rotating them (new,old → new) would otherwise change every hash, and a
    duplicate ID number would then be accepted (issue 8, defect 7). The development file is written once, on first use,
    with the key earlier versions derived from the oldest encryption key, so hashes already stored stay valid."""
    explicit = os.environ.get("PERSONAL_DATA_HASH_KEY") or getattr(settings, "PERSONAL_DATA_HASH_KEY", "")
    if explicit:
        return explicit.encode()
    path = _hash_key_file()
    if not path.exists():
        derived = hashlib.sha256(b"people.id_number.hmac:" + base64.urlsafe_b64decode(_keys()[-1])).digest()
        path.write_text(base64.urlsafe_b64encode(derived).decode())
        path.chmod(0o600)
    return base64.urlsafe_b64decode(path.read_text().strip())


def encrypt_id_number(number: str) -> str:
    return _fernet().encrypt(normalise_id_number(number).encode()).decode()


def decrypt_id_number(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValidationError("身份证号码无法解密：加密密钥与数据不匹配。", code="id_key") from None


def hash_id_number(number: str) -> str:
    return hmac.new(_hash_key(), normalise_id_number(number).encode(), hashlib.sha256).hexdigest()


def reset_key_cache():
    """For tests that switch keys."""
    _keys.cache_clear()
    _hash_key.cache_clear()


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the primary key (MultiFernet.rotate)."""
    return _fernet().rotate(token.encode()).decode()
