from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "ramunet.edc.sites"
    label = "ramunet_sites"
    verbose_name = "Centres and people"
