import pytest

from tests.messaging.conftest import circle  # noqa: F401 - one child with its circle
from tests.translation.libretranslate import libretranslate  # noqa: F401 - the LibreTranslate test double


@pytest.fixture(autouse=True)
def _browser_chooses_the_language(db):
    """These tests pick the page's language per request with the browser's Accept-Language, which decides only
    until a person chose a language for their account (docs/languages.md): their people have not chosen one."""
    from django.db.models.signals import pre_save

    from apps.accounts.models import User

    def unchosen(sender, instance, **kwargs):
        if instance._state.adding:
            instance.language = ""

    pre_save.connect(unchosen, sender=User, dispatch_uid="translation-tests-unchosen-language")
    yield
    pre_save.disconnect(sender=User, dispatch_uid="translation-tests-unchosen-language")
