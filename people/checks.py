"""`manage.py check --deploy`: the ID-number key must come from the environment in production, and be well formed."""

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
