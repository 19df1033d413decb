from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "ramunet.edc.oversight"
    label = "oversight"
    verbose_name = "Oversight pages"
