"""The school office's lists in the API, the same selectors and the same policy as the pages."""

from django.utils.translation import gettext as _
from rest_framework import viewsets

from apps.access.policy import log_list
from apps.accounts import bulk
from apps.audit.log import Actor

from . import selectors
from .permissions import office_school
from .serializers import GroupSerializer, GuardianRowSerializer, InvitationSerializer, PupilSerializer


def _school(request):
    return office_school(request, request.query_params.get("school"))


def _log(request, children, label):
    log_list(Actor.from_request(request, "api"), list({c.pk: c for c in children}.values()), label=label)


class SchoolPupilViewSet(viewsets.GenericViewSet):
    """Pupils of the caller's school (incl. who left), searchable by `q` (first, last or full name), `groep`."""

    serializer_class = PupilSerializer

    def get_queryset(self):
        group = self.request.query_params.get("groep", "")
        return selectors.school_pupils(
            self.request.user,
            _school(self.request),
            query=self.request.query_params.get("q", ""),
            group_id=int(group) if group.isdigit() else None,
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        _log(request, page, _("de leerlingenlijst van de school (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SchoolGroupViewSet(viewsets.GenericViewSet):
    """Groups of the caller's school with their pupil counts; `jaar` picks a school year."""

    serializer_class = GroupSerializer

    def get_queryset(self):
        return selectors.school_groups(_school(self.request), self.request.query_params.get("jaar") or None)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SchoolGuardianViewSet(viewsets.GenericViewSet):
    """Guardians of the caller's school with their gezag and invitation status."""

    serializer_class = GuardianRowSerializer

    def get_queryset(self):
        return selectors.school_guardians(self.request.user, _school(self.request))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        newest = bulk.newest_invites([g.user for g in page])
        for g in page:
            g.status = bulk.guardian_status(g.user, newest.get(g.user_id))
        _log(request, [g.child for g in page], _("de lijst van ouders/verzorgers (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class SchoolInvitationViewSet(viewsets.GenericViewSet):
    """Guardian invitations of the caller's school with their status."""

    serializer_class = InvitationSerializer

    def get_queryset(self):
        return selectors.school_invites(_school(self.request))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        for inv in page:
            inv.status = bulk.guardian_status(inv.user, inv) if inv.user_id else None
        _log(request, [c for inv in page for c in inv.children.all()], _("de uitnodigingen van de school (API)"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router) -> list:
    router.register("school/pupils", SchoolPupilViewSet, basename="school-pupil")
    router.register("school/groups", SchoolGroupViewSet, basename="school-group")
    router.register("school/guardians", SchoolGuardianViewSet, basename="school-guardian")
    router.register("school/invitations", SchoolInvitationViewSet, basename="school-invitation")
    return []
