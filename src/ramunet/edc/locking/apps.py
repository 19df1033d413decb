from django.apps import AppConfig


class LockingConfig(AppConfig):
    name = "ramunet.edc.locking"
    label = "locking"
    verbose_name = "Freeze, locks, checklist and close-out"
