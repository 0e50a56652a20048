import logging

from django.apps import AppConfig
from django.conf import settings


class MessagingConfig(AppConfig):
    name = "apps.messaging"
    label = "messaging"

    def ready(self):
        # Scanning is off only by choice or on a DEBUG machine (settings.VIRUS_SCAN): say so at every start.
        if not settings.VIRUS_SCAN:
            logging.getLogger("driehoek.security").warning(
                "VIRUS_SCAN is off: uploaded attachments are not scanned for malware (set VIRUS_SCAN=1 and run clamd)"
            )
