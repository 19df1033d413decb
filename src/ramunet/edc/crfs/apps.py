from django.apps import AppConfig


class CrfsConfig(AppConfig):
    name = "ramunet.edc.crfs"
    label = "crfs"
    verbose_name = "eCRFs"
