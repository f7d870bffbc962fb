from django.apps import AppConfig


class OversightConfig(AppConfig):
    """纪检监督: the inspector's console over every record, supervision notes (监督意见) with answers, computed anomaly flags."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oversight"
    verbose_name = "监督"

    def ready(self):
        pass
