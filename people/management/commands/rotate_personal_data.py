"""Re-encrypt every stored ID number with the first key of PERSONAL_DATA_KEY (after prepending a new key)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.audit import log_action
from people.idcard import rotate_token
from people.models import StaffProfile


class Command(BaseCommand):
    help = "用 PERSONAL_DATA_KEY 中的第一个密钥重新加密全部身份证号码（轮换密钥后执行，完成后可移除旧密钥）。"

    @transaction.atomic
    def handle(self, *args, **options):
        count = 0
        # Whole rows: the history table copies every field on save.
        for profile in StaffProfile.objects.select_for_update().exclude(id_number_encrypted=""):
            profile.id_number_encrypted = rotate_token(profile.id_number_encrypted)
            profile.save(update_fields=["id_number_encrypted"])
            count += 1
        log_action(
            actor=None, action="people.personal_data.rotated", object_type="people.staffprofile", after={"rows": count}
        )
        self.stdout.write(f"已重新加密 {count} 条身份证号码。")
