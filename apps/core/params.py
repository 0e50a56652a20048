"""Reading numbers from a query string without ever raising.

A query parameter is whatever someone typed into the address bar. A page filter that gets junk, a number
too large for the database or a year no date can hold (`?jaar=808102212336`) ignores the filter instead
of answering 500. The API validates the same parameters with a serializer and answers 400 (see
`docs/api.md`); these bounds are shared by both.
"""

MAX_ID = 2**63 - 1  # the largest id the database stores (BigAutoField)
MIN_YEAR, MAX_YEAR = 1, 9999  # what Python's date can hold


def int_param(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The whole number in `value` (ASCII digits only), or None when it is missing, junk or out of bounds."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 20:
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def year_param(value) -> int | None:
    return int_param(value, minimum=MIN_YEAR, maximum=MAX_YEAR)
