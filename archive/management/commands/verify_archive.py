"""Check an archive package: every file listed in its SHA256SUMS.txt is present and has its checksum; names each
file that differs, is missing or was added. Exit code 0 when intact, 1 otherwise."""

import sys
import zipfile

from django.core.management.base import BaseCommand, CommandError

from archive.package import verify


class Command(BaseCommand):
    help = "校验档案包：逐一核对文件的 SHA-256，列出内容不符、缺少或多出的文件（有问题时退出码为 1）。"

    def add_arguments(self, parser):
        parser.add_argument("package", help="档案包 .zip 文件路径")

    def handle(self, *args, package, **options):
        try:
            problems = verify(package)
        except (OSError, zipfile.BadZipFile) as exc:
            raise CommandError(f"无法读取档案包：{exc}") from None
        if problems:
            for line in problems:
                self.stderr.write(line)
            self.stderr.write(f"校验未通过：{len(problems)} 处问题。")
            sys.exit(1)
        self.stdout.write("校验通过：档案包中的全部文件与校验值一致。")
