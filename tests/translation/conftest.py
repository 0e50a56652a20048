from tests.messaging.conftest import circle  # noqa: F401 - one child with its circle
from tests.translation.libretranslate import libretranslate  # noqa: F401 - the LibreTranslate test double
