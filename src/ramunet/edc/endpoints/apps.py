from django.apps import AppConfig


class EndpointsConfig(AppConfig):
    name = "ramunet.edc.endpoints"
    label = "endpoints"
    verbose_name = "patient-level endpoints"
