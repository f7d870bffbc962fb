"""ID-card numbers: checksum, embedded birth date, encryption at rest, keyed hash, masking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from people import idcard
from people.idcard import (
    decrypt_id_number,
    encrypt_id_number,
    hash_id_number,
    mask_id_number,
    validate_id_number,
)

from .factories import make_id_number

BIRTH = date(1985, 6, 15)
GOOD = make_id_number(BIRTH)


def test_valid_number_passes_and_is_normalised():
    assert validate_id_number(GOOD.lower() + " ", BIRTH) == GOOD


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("50010119850615123", "应为18位"),
        ("5001011985061512AB", "应为18位"),
        (GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), "校验位不正确"),
        (make_id_number(date(1985, 6, 15))[:10] + "1399" + "1231", "校验位不正确"),
    ],
)
def test_bad_numbers_are_refused_in_chinese(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert fragment in exc.value.messages[0]


def test_invalid_embedded_date_is_refused():
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = "50010119851399123"  # month 13
    number = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert "出生日期无效" in exc.value.messages[0]


def test_birth_date_must_match():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(GOOD, date(1985, 6, 16))
    assert "与填写的出生日期（1985-06-16）不一致" in exc.value.messages[0]


def test_mask():
    assert mask_id_number("500101198506151234") == "500***********1234"
    assert len(mask_id_number(GOOD)) == 18


def test_encryption_round_trip_and_no_plaintext():
    token = encrypt_id_number(GOOD)
    assert GOOD not in token
    assert decrypt_id_number(token) == GOOD
    assert encrypt_id_number(GOOD) != token  # randomised


def test_keyed_hash_is_stable_and_keyed(monkeypatch):
    first = hash_id_number(GOOD)
    assert first == hash_id_number(GOOD.lower())
    assert len(first) == 64 and GOOD not in first
    from cryptography.fernet import Fernet

    monkeypatch.setenv("PERSONAL_DATA_KEY", Fernet.generate_key().decode())
    idcard.reset_key_cache()
    try:
        assert hash_id_number(GOOD) != first
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        idcard.reset_key_cache()


def test_key_rotation_keeps_old_data_readable_and_hashes_stable(monkeypatch):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PERSONAL_DATA_KEY", old)
    idcard.reset_key_cache()
    try:
        token, digest = encrypt_id_number(GOOD), hash_id_number(GOOD)
        monkeypatch.setenv("PERSONAL_DATA_KEY", f"{new},{old}")
        idcard.reset_key_cache()
        assert decrypt_id_number(token) == GOOD
        assert hash_id_number(GOOD) == digest
        monkeypatch.setenv("PERSONAL_DATA_KEY", new)
        idcard.reset_key_cache()
        with pytest.raises(ValidationError):
            decrypt_id_number(token)
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        idcard.reset_key_cache()


def test_deploy_check_wants_a_well_formed_key_from_the_environment(monkeypatch):
    from cryptography.fernet import Fernet

    from people.checks import personal_data_key_from_environment

    monkeypatch.delenv("PERSONAL_DATA_KEY", raising=False)
    assert [m.id for m in personal_data_key_from_environment(None)] == ["people.W001"]
    monkeypatch.setenv("PERSONAL_DATA_KEY", "not-a-key")
    assert [m.id for m in personal_data_key_from_environment(None)] == ["people.E001"]
    monkeypatch.setenv("PERSONAL_DATA_KEY", Fernet.generate_key().decode())
    assert personal_data_key_from_environment(None) == []


@pytest.mark.django_db
def test_rotate_command_reencrypts_with_the_new_key(monkeypatch):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from people.models import StaffProfile

    from .factories import StaffProfileFactory

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PERSONAL_DATA_KEY", old)
    idcard.reset_key_cache()
    try:
        profile = StaffProfileFactory(id_number_encrypted=encrypt_id_number(GOOD))
        monkeypatch.setenv("PERSONAL_DATA_KEY", f"{new},{old}")
        idcard.reset_key_cache()
        call_command("rotate_personal_data", stdout=__import__("io").StringIO())
        monkeypatch.setenv("PERSONAL_DATA_KEY", new)
        idcard.reset_key_cache()
        assert StaffProfile.objects.get(pk=profile.pk).reveal_id_number() == GOOD
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        idcard.reset_key_cache()
