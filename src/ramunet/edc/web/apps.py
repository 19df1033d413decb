from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ramunet.edc.web"
    label = "web"
    verbose_name = "Site pages"
