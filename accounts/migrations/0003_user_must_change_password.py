from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaluser",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="由管理员或人事部设置临时密码后为是；本人修改密码后恢复为否。",
                verbose_name="下次登录须修改密码",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="由管理员或人事部设置临时密码后为是；本人修改密码后恢复为否。",
                verbose_name="下次登录须修改密码",
            ),
        ),
    ]
