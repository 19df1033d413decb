from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "ramunet.edc.review"
    label = "review"
    verbose_name = "Source data verification, review and signatures"
