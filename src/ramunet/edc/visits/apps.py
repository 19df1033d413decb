from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ramunet.edc.visits"
    label = "visits"
    verbose_name = "Visit schedule"
