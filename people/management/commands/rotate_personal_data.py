"""Re-encrypt every stored ID number with the first key of PERSONAL_DATA_KEY (after prepending a new key)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.audit import log_action
from people.idcard import decrypt_id_number, hash_id_number, rotate_token
from people.models import StaffProfile


class Command(BaseCommand):
    help = (
        "用 PERSONAL_DATA_KEY 中的第一个密钥重新加密全部身份证号码（轮换密钥后执行，完成后可移除旧密钥）。"
        "检索哈希（PERSONAL_DATA_HASH_KEY）不变。"
    )

    @transaction.atomic
    def handle(self, *args, **options):
        count = 0
        # Whole rows: the history table copies every field on save.
        for profile in StaffProfile.objects.select_for_update().exclude(id_number_encrypted=""):
            # Rotation changes the ciphertext only, never the look-up hash. A hash that no longer matches its number
            # means PERSONAL_DATA_HASH_KEY differs from the one used at registration: stop, change nothing.
            if hash_id_number(decrypt_id_number(profile.id_number_encrypted)) != profile.id_number_hash:
                raise CommandError(
                    f"第 {profile.pk} 号档案的身份证号码检索哈希与当前 PERSONAL_DATA_HASH_KEY 不符：该密钥与登记时不同。"
                    "已停止，未做任何修改。请恢复原来的 PERSONAL_DATA_HASH_KEY 后再轮换。"
                )
            profile.id_number_encrypted = rotate_token(profile.id_number_encrypted)
            profile.save(update_fields=["id_number_encrypted"])
            count += 1
        log_action(
            actor=None, action="people.personal_data.rotated", object_type="people.staffprofile", after={"rows": count}
        )
        self.stdout.write(f"已重新加密 {count} 条身份证号码。")
