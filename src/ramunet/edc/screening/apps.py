from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "ramunet.edc.screening"
    label = "screening"
    verbose_name = "Screening log and registration"
