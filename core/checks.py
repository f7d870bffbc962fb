"""`manage.py check --deploy`: the audit key must come from the environment in production."""

import os

from django.core.checks import Error, register


@register("core", deploy=True)
def audit_key_from_environment(app_configs, **kwargs):
    key = os.environ.get("AUDIT_HMAC_KEY", "")
    if not key:
        return [
            Error(
                "未设置环境变量 AUDIT_HMAC_KEY：审计日志与备份清单正在用 var/audit_hmac_key 中自动生成的开发密钥签名。",
                hint="生产环境请通过环境变量提供至少 32 个字符的随机密钥，并与数据库及其备份分开保管"
                "（见 docs/security.md「审计日志的完整性」）。",
                id="core.E001",
            )
        ]
    if len(key) < 32:
        return [Error("AUDIT_HMAC_KEY 太短：至少需要 32 个字符的随机密钥。", id="core.E002")]
    return []
