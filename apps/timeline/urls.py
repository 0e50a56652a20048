from django.urls import path

from . import views

app_name = "timeline"
urlpatterns = [
    path("kind/<int:child_id>/", views.timeline, name="child"),
    path("kind/<int:child_id>/pdf/", views.pdf, name="pdf"),
    path("regel/<int:entry_id>/verbeteren/", views.correct, name="correct"),
]
