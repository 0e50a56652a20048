from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "apps.circles"
    label = "circles"
