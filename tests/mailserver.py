"""A scripted mail server for REL-10 tests: it can be down, go away mid-batch, and counts its use."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class ScriptedSMTP(LocmemBackend):
    """The test mail server: locmem that can be down, can go away after some messages, and counts use."""

    down = False
    fail_after = None  # messages that still go through before the server goes away
    during_send = None  # called once while the first message is being sent (a second run starting)
    connections = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type(self).connections += 1

    def send_messages(self, messages):
        cls = type(self)
        cls.calls += 1
        if cls.during_send is not None:
            hook, cls.during_send = cls.during_send, None
            hook()
        if cls.down:
            raise ConnectionRefusedError("smtp down")
        if cls.fail_after is not None:
            if cls.fail_after < len(messages):
                raise SMTPServerDisconnected("gone")
            cls.fail_after -= len(messages)
        return super().send_messages(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "tests.mailserver.ScriptedSMTP"
    ScriptedSMTP.down, ScriptedSMTP.fail_after, ScriptedSMTP.during_send = False, None, None
    ScriptedSMTP.connections = ScriptedSMTP.calls = 0
    return ScriptedSMTP
