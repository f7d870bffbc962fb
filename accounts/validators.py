import re

from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"[0-9]")),
    ("特殊字符", re.compile(r"[^A-Za-z0-9]")),
)


class CharacterClassValidator:
    """等保2.0: passwords mix at least `min_classes` of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _, pattern in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码必须至少包含大写字母、小写字母、数字、特殊字符中的 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码必须至少包含大写字母、小写字母、数字、特殊字符中的 {self.min_classes} 类。"
