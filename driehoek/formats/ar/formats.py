# Django's Arabic formats have no DATETIME_FORMAT (it would fall back to the English "N j, Y, P"): day, month
# name, year and the 24-hour time, as Arabic-speaking parents in the Netherlands read it (docs/languages.md).
DATETIME_FORMAT = "j F، Y H:i"
