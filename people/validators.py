"""Validators with Chinese messages: unified social credit code (GB 32100-2015)."""

from django.core.exceptions import ValidationError

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> str:
    """Raise ValidationError unless value is an 18-character code with a correct check character."""
    code = normalise_credit_code(value)
    if len(code) != 18 or any(ch not in _CREDIT_CHARS for ch in code):
        raise ValidationError(
            "统一社会信用代码应为18位，由数字和大写字母组成（不含 I、O、Z、S、V）。", code="credit_format"
        )
    total = sum(_CREDIT_CHARS.index(ch) * w for ch, w in zip(code[:17], _CREDIT_WEIGHTS, strict=True))
    expected = _CREDIT_CHARS[(31 - total % 31) % 31]
    if code[17] != expected:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="credit_checksum")
    return code


def credit_code_check_char(first17: str) -> str:
    """The check character for 17 leading characters (used by tests and demo data)."""
    total = sum(_CREDIT_CHARS.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def validate_record_date(value):
    """Dates of work periods, honours and agreements: 1950–2100 (typos such as 0202 or 20244 are refused)."""
    from datetime import date

    if value is not None and not (date(1950, 1, 1) <= value <= date(2100, 12, 31)):
        raise ValidationError("日期应在1950年至2100年之间，请核对。", code="date_range")


def validate_birth_date(value):
    from datetime import date

    if value is not None and not (date(1930, 1, 1) <= value <= date.today()):
        raise ValidationError("出生日期应在1930年至今天之间，请核对。", code="birth_range")
