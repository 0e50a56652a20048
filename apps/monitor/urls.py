from django.urls import path

from . import views

app_name = "monitor"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.create, name="create"),
    path("kind/", views.child, name="child"),
    path("<int:pk>/", views.wave, name="wave"),
    path("<int:pk>/invullen/", views.answer, name="answer"),
    path("<int:pk>/bedankt/", views.thanks, name="thanks"),
    path("<int:pk>/herinneren/", views.remind, name="remind"),
    path("<int:pk>/codes/", views.codes, name="codes"),
    path("<int:pk>/actie/", views.act, name="act"),
    path("<int:pk>/resultaten.csv", views.export, name="export"),
    path("bevinding/<int:pk>/", views.finding, name="finding"),
]
