"""Texts of Django that its own shipped catalogues do not translate (yet) in a language Driehoek offers.

Django, allauth and DRF ship catalogues for every interface language (docs/languages.md). A few of Django's
messages changed wording in a recent release and the new wording is missing from some catalogues, so a Dutch
page showed "This password is too short. It must contain at least 12 characters." in English. Listing them
here puts them in our own catalogues (locale/), which Django reads before its own, and we translate them there.
Nothing calls this module; `makemessages` reads it. When Django's catalogues catch up, an entry can go.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.auth.password_validation.MinimumLengthValidator (Django 5.2: "%d", was "%(min_length)d").
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "n",
)
# django.forms.formsets, django.db.models.fields.related (missing in ar, uk, nl).
FORMSET_TOO_FEW = ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num")
FORMSET_TOO_MANY = ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num")
TEXTS = (
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Enter a valid domain name."),
    gettext_noop("“%(value)s” value must be an integer."),
    gettext_noop("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    gettext_noop("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    gettext_noop("“%(value)s” value must be either True or False."),
    gettext_noop("“%(pk)s” is not a valid value."),
)
