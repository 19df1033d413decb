from django.apps import AppConfig


class QueriesConfig(AppConfig):
    name = "ramunet.edc.queries"
    label = "queries"
    verbose_name = "Data queries"
