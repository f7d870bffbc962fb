from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    """The public showcase (no login): active studios, masters' public profiles, published posts and public achievements — never a private detail."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "showcase"
    verbose_name = "成果展示"

    def ready(self):
        pass
