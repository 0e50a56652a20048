"""The seven keys for working together (docs/learning-community.md): three factors and four conditions.

A small, fixed choice that actions (here) and case-review points (apps/casereview) carry, so what is learned
can later be linked to what works: the knowledge base connects its interventions to these values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SevenKey(models.TextChoices):
    # The three factors.
    LASTING_RELATIONS = "lasting_relations", _("duurzame onderlinge relaties")
    CHILD_IN_CONTEXT = "child_in_context", _("het kind in zijn context centraal")
    SKILLED_PROFESSIONAL = "skilled_professional", _("de vakbekwame professional")
    # The four conditions.
    ROOM_TO_WORK_TOGETHER = "room_to_work_together", _("ruimte om samen te werken")
    COVERING_OFFER = "covering_offer", _("dekkend aanbod met ruimte voor maatwerk")
    NO_WALLS = "no_walls", _("ontschotten van onderwijs en jeugdhulp")
    LIVELIHOOD = "livelihood", _("samenwerken met hulp bij bestaanszekerheid")
