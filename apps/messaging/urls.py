from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kind/<int:child_id>/", views.child_threads, name="child"),
    path("kind/<int:child_id>/nieuw/", views.new_thread, name="new_thread"),
    path("gesprek/<int:thread_id>/", views.thread_detail, name="thread"),
    path("bijlage/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("instellingen/", views.notification_settings, name="settings"),
    path("balans/", views.balance, name="balance"),
    path("mededelingen/", views.announcements, name="announcements"),
    path("mededelingen/nieuw/", views.new_announcement, name="new_announcement"),
    path("mededelingen/<int:pk>/", views.announcement_detail, name="announcement"),
    path("mededelingen/<int:pk>/gelezen/", views.confirm_announcement, name="confirm_announcement"),
    path("mededelingen/<int:pk>/vertaling/", views.translate_announcement, name="translate_announcement"),
    path("mededelingen/<int:pk>/talen/", views.announcement_versions, name="announcement_versions"),
    path("gesprek/<int:thread_id>/vertaling/", views.translate_thread, name="translate_thread"),
    path("bericht/<int:message_id>/vertaling/", views.translate_message, name="translate_message"),
]
