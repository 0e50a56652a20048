"""REST endpoints for absence, under the same policy and access log as the pages (docs/absence.md)."""

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.api import api_child, as_api_error
from apps.access.policy import Action, authorize, log_list
from apps.access.shortcuts import load_child
from apps.audit.log import Actor
from apps.consent.models import Category
from apps.organisations.models import School

from . import selectors, services
from .models import Signal, TestDay
from .serializers import (
    AbsenceSerializer,
    DuoReportSerializer,
    DuoStatusWriteSerializer,
    JeugdartsReferralSerializer,
    JeugdartsReferralWriteSerializer,
    LeaveRequestSerializer,
    LeaveRequestWriteSerializer,
    SickReportSerializer,
    SickReportWriteSerializer,
    SignalSerializer,
    TestDaySerializer,
)

HEALTH = Category.HEALTH


def _since():
    return timezone.localdate() - timedelta(days=services.LOOKBACK_DAYS)


class SickReportsView(APIView):
    """A child's sick reports of this school year; a guardian POSTs a new one (twice for a day: one report)."""

    @extend_schema(responses=SickReportSerializer(many=True))
    def get(self, request, child_id):
        child = api_child(request, child_id, Action.VIEW, HEALTH, label=_("de ziekmeldingen"))
        reports = selectors.child_overview(child, since=_since())["sick_reports"]
        return Response(SickReportSerializer(reports, many=True).data)

    @extend_schema(request=SickReportWriteSerializer, responses={201: SickReportSerializer, 200: SickReportSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = SickReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            report, created = services.report_sick(
                Actor.from_request(request, "api"),
                child,
                first_day=data.get("date"),
                until=data.get("until"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(SickReportSerializer(report).data, status=status.HTTP_201_CREATED if created else 200)


class AbsencesView(APIView):
    """The school's registrations for a child in this school year."""

    @extend_schema(responses=AbsenceSerializer(many=True))
    def get(self, request, child_id):
        child = api_child(request, child_id, Action.VIEW, HEALTH, label=_("het verzuimregister"))
        return Response(AbsenceSerializer(selectors.child_overview(child, since=_since())["absences"], many=True).data)


class SignalsView(APIView):
    """Open signals the caller may see, each with its rule, child, date and proposed step."""

    @extend_schema(responses=SignalSerializer(many=True))
    def get(self, request):
        signals = list(selectors.visible_signals(request.user)[:500])
        children = list({s.child_id: s.child for s in signals}.values())
        log_list(Actor.from_request(request, "api"), children, label=_("de verzuimsignalen"))
        return Response(SignalSerializer(signals, many=True).data)


class LeaveRequestsView(APIView):
    """A child's leave requests with their decisions; a guardian with gezag POSTs a new one."""

    @extend_schema(responses=LeaveRequestSerializer(many=True))
    def get(self, request, child_id):
        child = api_child(request, child_id, Action.VIEW, HEALTH, label=_("de verlofaanvragen"))
        return Response(
            LeaveRequestSerializer(selectors.child_overview(child, since=_since())["leave_requests"], many=True).data
        )

    @extend_schema(request=LeaveRequestWriteSerializer, responses={201: LeaveRequestSerializer})
    def post(self, request, child_id):
        child = load_child(child_id)
        serializer = LeaveRequestWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            leave = services.request_leave(Actor.from_request(request, "api"), child, **serializer.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)


def _duo_report(request, pk) -> Signal:
    signal = get_object_or_404(Signal.objects.select_related("child__school", "school"), pk=pk)
    try:
        return services.open_duo_report(Actor.from_request(request, "api"), signal)
    except DjangoValidationError:
        raise Http404 from None


def _duo_data(request, signal) -> dict:
    return {
        "id": signal.pk,
        "rule": signal.rule,
        "child": signal.child_id,
        "fields": [{"label": str(label), "value": str(value)} for label, value in services.duo_fields(signal)],
        "status": signal.duo_status,
        "status_on": signal.duo_status_on,
        "reference": signal.duo_reference,
        "next_statuses": [str(s.value) for s in services.duo_next_statuses(request.user, signal)],
    }


class DuoReportView(APIView):
    """A report to DUO (as on the printable page); POST its next status (the school files or withdraws, the
    municipality handles). For the school's staff and the involved leerplichtambtenaar; read as an export."""

    @extend_schema(responses=DuoReportSerializer)
    def get(self, request, pk):
        signal = _duo_report(request, pk)
        return Response(DuoReportSerializer(_duo_data(request, signal)).data)

    @extend_schema(request=DuoStatusWriteSerializer, responses=DuoReportSerializer)
    def post(self, request, pk):
        signal = _duo_report(request, pk)
        serializer = DuoStatusWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.set_duo_status(
                Actor.from_request(request, "api"), signal, data["status"], reference=data.get("reference", "")
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(DuoReportSerializer(_duo_data(request, signal)).data)


class JeugdartsReferralView(APIView):
    """MAZL step 4 from the signal: refer the pupil to the jeugdarts at a GGD. The family's consent is asked
    at the same time (the referral waits for it), as on the signals page (docs/absence.md)."""

    @extend_schema(request=JeugdartsReferralWriteSerializer, responses={201: JeugdartsReferralSerializer})
    def post(self, request, pk):
        signal = get_object_or_404(Signal.objects.select_related("child__school", "school"), pk=pk)
        actor = Actor.from_request(request, "api")
        authorize(actor, Action.VIEW, signal.child, HEALTH, obj=signal, label=_("een verzuimsignaal"))
        serializer = JeugdartsReferralWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = services.jeugdarts_organisations().filter(pk=data["organisation"]).first()
        if organisation is None:
            raise as_api_error(DjangoValidationError({"organisation": _("Kies een GGD: daar werkt de jeugdarts.")}))
        try:
            referral = services.refer_to_jeugdarts(
                actor, signal, organisation=organisation, question=data.get("question", ""), request=request
            )
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        body = {
            "referral": referral.pk,
            "organisation": str(referral.organisation),
            "status": referral.status,
            "consent": referral.consent_id,
        }
        return Response(JeugdartsReferralSerializer(body).data, status=status.HTTP_201_CREATED)


def _test_day_school(request, school_id) -> School:
    school = get_object_or_404(School, pk=school_id)
    services.check_test_day_manager(Actor.from_request(request, "api"), school, request=request)
    return school


class TestDaysView(APIView):
    """The school's test days (toetsdagen), which the pattern rule counts; for its IB'er and director."""

    @extend_schema(responses=TestDaySerializer(many=True))
    def get(self, request, school_id):
        school = _test_day_school(request, school_id)
        return Response(TestDaySerializer(TestDay.objects.filter(school=school), many=True).data)

    @extend_schema(request=TestDaySerializer, responses={201: TestDaySerializer})
    def post(self, request, school_id):
        school = _test_day_school(request, school_id)
        serializer = TestDaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            test_day = services.add_test_day(Actor.from_request(request, "api"), school, **serializer.validated_data)
        except DjangoValidationError as e:
            raise as_api_error(e) from e
        return Response(TestDaySerializer(test_day).data, status=status.HTTP_201_CREATED)


class TestDayView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, school_id, pk):
        school = _test_day_school(request, school_id)
        services.remove_test_day(Actor.from_request(request, "api"), get_object_or_404(TestDay, pk=pk, school=school))
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> list:
    return [
        path("children/<int:child_id>/sick-reports/", SickReportsView.as_view(), name="child-sick-reports"),
        path("children/<int:child_id>/absences/", AbsencesView.as_view(), name="child-absences"),
        path("children/<int:child_id>/leave-requests/", LeaveRequestsView.as_view(), name="child-leave-requests"),
        path("signals/", SignalsView.as_view(), name="absence-signals"),
        path("signals/<int:pk>/duo-report/", DuoReportView.as_view(), name="absence-duo-report"),
        path("signals/<int:pk>/jeugdarts/", JeugdartsReferralView.as_view(), name="absence-jeugdarts-referral"),
        path("schools/<int:school_id>/test-days/", TestDaysView.as_view(), name="school-test-days"),
        path("schools/<int:school_id>/test-days/<int:pk>/", TestDayView.as_view(), name="school-test-day"),
    ]
