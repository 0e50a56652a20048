"""`/api/v1/me/`: the person's own account, with their language and interpreter need (docs/languages.md).

Only the caller's own account: nothing about a child, so no policy decision and no access-log entry."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import languages


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    language = serializers.CharField(max_length=10, required=False, help_text="A code of `languages`.")
    language_name = serializers.CharField(read_only=True, help_text="The language's name in that language.")
    interpreter_wanted = serializers.BooleanField(required=False)
    languages = serializers.DictField(child=serializers.CharField(), read_only=True)
    note = serializers.CharField(read_only=True, help_text="Empty, or why the language fell back to Dutch.")


def _me(user, note: str = "") -> dict:
    code = languages.language_of(user)
    data = {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": code,
        "language_name": languages.offered()[code],
        "interpreter_wanted": user.interpreter_wanted,
        "languages": languages.offered(),
        "note": note,
    }
    return data


class MeView(APIView):
    """GET the caller's account; PATCH `language` and/or `interpreter_wanted`. A language the product does not
    offer falls back to Dutch, with a `note` saying so (not an error: nothing is lost)."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(_me(request.user))

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        from django.utils.translation import gettext as _

        data = MeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user, note = request.user, ""
        if "language" in data.validated_data and languages.set_language(user, data.validated_data["language"]):
            note = _("Die taal bieden wij (nog) niet aan. U leest Driehoek in het Nederlands.")
        if "interpreter_wanted" in data.validated_data:
            user.interpreter_wanted = data.validated_data["interpreter_wanted"]
            user.save(update_fields=["interpreter_wanted"])
        return Response(_me(user, note))


def register(router) -> list:
    return [path("me/", MeView.as_view(), name="me")]
