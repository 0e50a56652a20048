"""Reading the knowledge base and linking objects to it (docs/learning.md, "Knowledge base").

Apps make their objects linkable with `register_linkable(model, may_link)` in their AppConfig.ready:
`may_link(user, obj)` is that app's own "who may" rule (for an action: the school's staff). The knowledge
base itself holds no child data; every logged-in person may read it."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from .models import Intervention, Key, KnowledgeLink, Recommendation, RecommendationIntervention

_LINKABLE: dict[str, tuple[type, object]] = {}


def register_linkable(model, may_link) -> None:
    _LINKABLE[model._meta.label_lower] = (model, may_link)


def linkable_label(obj) -> str:
    return obj._meta.label_lower


def resolve_source(label: str, object_id) -> object | None:
    """The object behind a link form's hidden fields, or None when the type is unknown or it is gone."""
    entry = _LINKABLE.get(label)
    if entry is None:
        return None
    try:
        return entry[0]._default_manager.filter(pk=int(object_id)).first()
    except (TypeError, ValueError):
        return None


def may_link(user, obj) -> bool:
    entry = _LINKABLE.get(linkable_label(obj))
    return bool(entry and entry[1](user, obj))


def recommendations():
    uses = RecommendationIntervention.objects.select_related("intervention")
    return Recommendation.objects.prefetch_related("keys", Prefetch("uses", queryset=uses))


def keys():
    return Key.objects.all()


def interventions():
    return Intervention.objects.prefetch_related("recommendations")


def recommendations_for_keys(slugs) -> list[Recommendation]:
    """The recommendations that fit these keys, best fit (most keys in common) first."""
    slugs = list(slugs)
    found = list(recommendations().filter(keys__slug__in=slugs).distinct())
    order = {s: i for i, s in enumerate(slugs)}

    def rank(rec):
        mine = [order[k.slug] for k in rec.keys.all() if k.slug in order]
        return (-len(mine), min(mine, default=99), rec.position, rec.code)

    return sorted(found, key=rank)


def parse_entry(value: str):
    """'r:12', 'i:3' or 'k:5' from the link form; a clear Dutch error when it is not (or no longer) there."""
    kinds = {"r": Recommendation, "i": Intervention, "k": Key}
    kind, _sep, pk = (value or "").partition(":")
    model = kinds.get(kind)
    entry = model.objects.filter(pk=int(pk)).first() if model and pk.isdigit() else None
    if entry is None:
        raise ValidationError(_("Dit onderdeel van de kennisbank bestaat niet (meer). Kies een ander."))
    return entry


def add_link(obj, entry, *, by=None) -> KnowledgeLink:
    if by is not None and not may_link(by, obj):
        raise PermissionDenied(_("U mag hier geen koppeling met de kennisbank maken."))
    field = {Recommendation: "recommendation", Intervention: "intervention", Key: "key"}[type(entry)]
    ct = ContentType.objects.get_for_model(obj)
    existing = KnowledgeLink.objects.filter(content_type=ct, object_id=obj.pk, **{field: entry}).first()
    if existing:
        return existing
    return KnowledgeLink.objects.create(
        content_type=ct, object_id=obj.pk, title=str(entry)[:300], created_by=by, **{field: entry}
    )


def remove_link(link: KnowledgeLink, *, by) -> None:
    source = link.source
    if source is not None and not may_link(by, source):
        raise PermissionDenied(_("U mag deze koppeling niet verwijderen."))
    link.delete()


def links_for(obj) -> list[KnowledgeLink]:
    ct = ContentType.objects.get_for_model(obj)
    return list(
        KnowledgeLink.objects.filter(content_type=ct, object_id=obj.pk).select_related(
            "recommendation", "intervention", "key"
        )
    )


def links_by_object(objs) -> dict[int, list[KnowledgeLink]]:
    """The links of many objects of one model (a plan's agreements, a review's action points) in one query,
    by the object's pk; pass the result to `{% knowledge_links obj links=... %}` per object."""
    objs = list(objs)
    found: dict[int, list[KnowledgeLink]] = {o.pk: [] for o in objs}
    if not objs:
        return found
    ct = ContentType.objects.get_for_model(objs[0])
    for link in KnowledgeLink.objects.filter(content_type=ct, object_id__in=list(found)).select_related(
        "recommendation", "intervention", "key"
    ):
        found.setdefault(link.object_id, []).append(link)
    return found


def entry_choices() -> list[tuple[str, str]]:
    """Every entry for the link form's select, in one query per kind."""
    return [
        *[(f"r:{r.pk}", _("Aanbeveling %(code)s: %(title)s") % {"code": r.code, "title": r.title}) for r in
          Recommendation.objects.all()],
        *[(f"i:{i.pk}", _("Interventie: %(name)s") % {"name": i.name}) for i in Intervention.objects.all()],
        *[(f"k:{k.pk}", f"{k.get_kind_display().capitalize()}: {k.name}") for k in Key.objects.all()],
    ]  # fmt: skip
