from django.contrib import admin

from .models import Membership, Organisation, OrgAlias, OrgSuccession


class AliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 0
    fields = ("alias", "key", "source")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "valid_from", "valid_to", "code")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "search_key", "code")
    raw_id_fields = ("parent",)
    inlines = [AliasInline]


@admin.register(OrgAlias)
class OrgAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "org", "source")
    search_fields = ("alias", "key")
    raw_id_fields = ("org",)


@admin.register(OrgSuccession)
class OrgSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "effective", "source")
    raw_id_fields = ("predecessor", "successor")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "org", "scope")
    list_filter = ("role",)
    raw_id_fields = ("user", "org", "scope")
