"""seed_demo: the demo administrator gets a known authenticator, so `make run` can be signed in to as admin (two-factor
is required for 系统管理员). Demo data only: the secret is RFC 6238's published test key."""

from . import otp
from .models import User


def seed_demo(password):
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    otp.enrol_demo(admin)
    device = otp.confirmed_device(admin)
    if device is not None and device.key == otp.DEMO_SECRET_HEX:
        print(  # noqa: T201  (seed_demo's own output, read by whoever ran make run)
            f"  admin 的两步验证：在身份验证器中手动添加密钥 {otp.secret_base32(device)}（基于时间，6 位）。"
        )
