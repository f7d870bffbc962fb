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
from people.models import StaffProfile

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
        assert hash_id_number(GOOD) == first  # the encryption key does not key the hash (defect 7)
        monkeypatch.setenv("PERSONAL_DATA_HASH_KEY", "another hash key, 32 characters+")
        idcard.reset_key_cache()
        assert hash_id_number(GOOD) != first
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        monkeypatch.delenv("PERSONAL_DATA_HASH_KEY")
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
        profile = StaffProfileFactory(id_number_encrypted=encrypt_id_number(GOOD), id_number_hash=hash_id_number(GOOD))
        monkeypatch.setenv("PERSONAL_DATA_KEY", f"{new},{old}")
        idcard.reset_key_cache()
        call_command("rotate_personal_data", stdout=__import__("io").StringIO())
        monkeypatch.setenv("PERSONAL_DATA_KEY", new)
        idcard.reset_key_cache()
        assert StaffProfile.objects.get(pk=profile.pk).reveal_id_number() == GOOD
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        idcard.reset_key_cache()


@pytest.mark.django_db
def test_documented_rotation_keeps_refusing_a_duplicate_id_number(monkeypatch, settings, tmp_path):
    """Issue 8, defect 7: PERSONAL_DATA_KEY=old → "new,old" + rotate_personal_data → "new" must not move the hash key,
    or the same ID number registers a second time."""
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from accounts.enums import Role
    from people.services import save_profile
    from tests.factories import UserFactory

    settings.VAR_DIR = tmp_path  # no hash key file yet: the development key is fixed at first use
    monkeypatch.delenv("PERSONAL_DATA_HASH_KEY", raising=False)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PERSONAL_DATA_KEY", old)
    idcard.reset_key_cache()
    try:
        hr = UserFactory(roles=[Role.HR], department=None)
        first, second = UserFactory(), UserFactory()
        data = {"birth_date": BIRTH, "gender": "male"}
        profile = save_profile(by=hr, user=first, data=data, id_number=GOOD)
        digest = profile.id_number_hash
        monkeypatch.setenv("PERSONAL_DATA_KEY", f"{new},{old}")
        idcard.reset_key_cache()
        call_command("rotate_personal_data", stdout=__import__("io").StringIO())
        monkeypatch.setenv("PERSONAL_DATA_KEY", new)
        idcard.reset_key_cache()
        profile.refresh_from_db()
        assert profile.id_number_hash == digest and profile.reveal_id_number() == GOOD
        with pytest.raises(ValidationError, match="已登记"):
            save_profile(by=hr, user=second, data=data, id_number=GOOD)
        assert not StaffProfile.objects.filter(user=second).exists()
    finally:
        monkeypatch.delenv("PERSONAL_DATA_KEY")
        idcard.reset_key_cache()


@pytest.mark.django_db
def test_rotation_stops_when_the_hash_key_changed(monkeypatch, settings, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from .factories import StaffProfileFactory

    monkeypatch.setenv("PERSONAL_DATA_HASH_KEY", "k" * 40)
    idcard.reset_key_cache()
    try:
        profile = StaffProfileFactory(id_number_encrypted=encrypt_id_number(GOOD), id_number_hash=hash_id_number(GOOD))
        monkeypatch.setenv("PERSONAL_DATA_HASH_KEY", "z" * 40)
        idcard.reset_key_cache()
        with pytest.raises(CommandError, match="PERSONAL_DATA_HASH_KEY"):
            call_command("rotate_personal_data", stdout=__import__("io").StringIO())
        assert StaffProfile.objects.get(pk=profile.pk).id_number_encrypted == profile.id_number_encrypted
    finally:
        monkeypatch.delenv("PERSONAL_DATA_HASH_KEY")
        idcard.reset_key_cache()


def test_deploy_check_requires_a_fixed_hash_key_from_the_environment(monkeypatch):
    from people.checks import personal_data_hash_key_from_environment

    monkeypatch.delenv("PERSONAL_DATA_HASH_KEY", raising=False)
    assert [m.id for m in personal_data_hash_key_from_environment(None)] == ["people.E002"]
    monkeypatch.setenv("PERSONAL_DATA_HASH_KEY", "h" * 40)
    assert personal_data_hash_key_from_environment(None) == []
