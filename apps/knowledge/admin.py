"""The knowledge base is edited per installation in the admin (/beheer/): no child data in it."""

from django.contrib import admin

from .models import Intervention, Key, KnowledgeLink, Recommendation, RecommendationIntervention


class UseInline(admin.TabularInline):
    model = RecommendationIntervention
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "position")
    filter_horizontal = ("keys",)
    inlines = [UseInline]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("name", "recognition", "position")
    list_filter = ("recognition",)


@admin.register(Key)
class KeyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "slug", "position")
    list_filter = ("kind",)


@admin.register(KnowledgeLink)
class KnowledgeLinkAdmin(admin.ModelAdmin):
    list_display = ("title", "content_type", "object_id", "created_at")
    readonly_fields = ("content_type", "object_id", "created_by", "created_at")
