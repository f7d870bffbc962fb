"""`manage.py check --deploy`: the ID-number keys (encryption and hash) must come from the environment in production."""

import os

from django.core.checks import Error, Warning, register


@register("people", deploy=True)
def personal_data_key_from_environment(app_configs, **kwargs):
    raw = os.environ.get("PERSONAL_DATA_KEY", "")
    if not raw:
        return [
            Warning(
                "未设置环境变量 PERSONAL_DATA_KEY：身份证号码正在用 var/personal_data_key 中自动生成的开发密钥加密。",
                hint="生产环境请通过环境变量提供 Fernet 密钥，并与数据库及其备份分开保管（见 docs/people.md）。",
                id="people.W001",
            )
        ]
    from cryptography.fernet import Fernet

    for key in (k.strip() for k in raw.split(",") if k.strip()):
        try:
            Fernet(key.encode())
        except ValueError:
            return [
                Error(
                    "PERSONAL_DATA_KEY 中有格式不正确的密钥（应为 32 字节的 URL-safe Base64 Fernet 密钥）。",
                    id="people.E001",
                )
            ]
    return []


@register("people", deploy=True)
def personal_data_hash_key_from_environment(app_configs, **kwargs):
    """The look-up hash key must be fixed and independent of the encryption keys: rotating PERSONAL_DATA_KEY must never
    change a stored hash (else a duplicate ID number would be accepted after rotation)."""
    key = os.environ.get("PERSONAL_DATA_HASH_KEY", "")
    if len(key) < 32:
        return [
            Error(
                "未设置环境变量 PERSONAL_DATA_HASH_KEY（或不足 32 个字符）：身份证号码检索哈希的密钥必须固定，"
                "不能随 PERSONAL_DATA_KEY 轮换而改变。",
                hint="生产环境请提供至少 32 个字符的随机密钥，一经使用不得更改，并与数据库及其备份分开保管"
                "（见 docs/people.md「身份证号码」）。",
                id="people.E002",
            )
        ]
    return []
