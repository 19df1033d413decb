from django.apps import AppConfig


class EntryConfig(AppConfig):
    name = "ramunet.edc.entry"
    label = "entry"
    verbose_name = "Paper-CRF double data entry"
