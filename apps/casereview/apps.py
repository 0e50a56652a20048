from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "apps.casereview"
    label = "casereview"
    verbose_name = "Casusreview"
