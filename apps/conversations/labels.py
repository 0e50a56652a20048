"""Access-log labels: written in Dutch whatever language the actor reads (the family reads one log).

`authorize`/`log_list` turn the label into text inside `translation.override(LANGUAGE_CODE)`, so a
lazy label becomes Dutch there; `log_label` keeps formatted labels lazy until that moment.
"""

from django.utils.functional import lazy


def _format(message, params: dict) -> str:
    return str(message) % {k: str(v) for k, v in params.items()}


_lazy_format = lazy(_format, str)


def log_label(message, **params):
    """`message` is a gettext_lazy string; the result is formatted when the log entry is written."""
    return _lazy_format(message, params) if params else message
