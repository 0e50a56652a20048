"""The import in /api/v1/imports/: upload (the dry run comes back with its id), set the column mapping,
confirm, and poll status/progress. The same services, permissions and Dutch messages as the pages."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from apps.organisations.models import School

from . import permissions, services
from .models import CSV_KINDS, ImportRun
from .parsers.records import UnreadableFile


class ImportRunSerializer(serializers.ModelSerializer):
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "school",
            "kind",
            "file_name",
            "checksum",
            "status",
            "progress",
            "mapping",
            "error",
            "created_at",
            "applied_at",
            "summary",
        ]
        read_only_fields = fields

    def get_summary(self, run) -> dict:
        return services.visible_summary(self.context["request"].user, run)


class UploadSerializer(serializers.Serializer):
    school = serializers.IntegerField()
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=[("", "")] + [(k.value, k.label) for k in CSV_KINDS], required=False)


class MappingSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True))


def _refused(error) -> Response:
    return Response({"detail": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)


class ImportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportRunSerializer
    queryset = ImportRun.objects.none()  # for the schema; get_queryset decides
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        user = self.request.user
        runs = ImportRun.objects.select_related("school").order_by("-created_at", "-pk")
        if user.is_staff:
            return runs
        return runs.filter(school_id__in=permissions.importable_school_ids(user))

    def _run(self, pk) -> ImportRun:
        run = get_object_or_404(ImportRun.objects.select_related("school"), pk=pk)
        permissions.check_may_view(self.request.user, run.school, self.request)
        return run

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._run(pk)).data)

    @extend_schema(request=UploadSerializer, responses={201: ImportRunSerializer})
    def create(self, request):
        s = UploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        school = get_object_or_404(School, pk=s.validated_data["school"])
        upload = s.validated_data["file"]
        try:
            run = services.start_import(
                user=request.user,
                school=school,
                file_name=upload.name,
                content=services.read_upload(upload),
                kind=s.validated_data.get("kind", ""),
                request=request,
            )
        except UnreadableFile as e:
            return _refused(e)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MappingSerializer, responses={200: ImportRunSerializer})
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        run = self._run(pk)
        s = MappingSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            run = services.set_mapping(user=request.user, run=run, mapping=s.validated_data["mapping"], request=request)
        except UnreadableFile as e:
            return _refused(e)
        return Response(self.get_serializer(run).data)

    @extend_schema(request=None, responses={200: ImportRunSerializer, 202: ImportRunSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        run = self._run(pk)
        try:
            run = services.confirm(user=request.user, run=run, request=request)
        except UnreadableFile as e:
            return _refused(e)
        except PermissionDenied:
            raise
        code = status.HTTP_202_ACCEPTED if run.status == ImportRun.Status.APPLYING else status.HTTP_200_OK
        return Response(self.get_serializer(run).data, status=code)


def register(router):
    router.register("imports", ImportRunViewSet, basename="import")
    return []
