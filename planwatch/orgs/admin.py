"""Admin of the organisation tree. Changes of name, parent and end date go through the same
services as the rest of the system (org_rename, org_move, org_end), with the signed-in user as
actor and the required "Lý do thay đổi" as reason; successions are recorded through org_end."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import services
from .models import Membership, Organisation, OrgAlias, OrgChange, OrgChangeKind, OrgSuccession

REASON_HELP = "Bắt buộc: lý do hoặc số hiệu văn bản quyết định (ví dụ: Quyết định 123/QĐ-UBND)."


class AliasInline(admin.TabularInline):
    model = OrgAlias
    extra = 0
    fields = ("alias", "key", "source")


class OrganisationForm(forms.ModelForm):
    change_reason = forms.CharField(label="Lý do thay đổi", help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 2}))
    effective = forms.DateField(
        label="Ngày hiệu lực của đổi tên / chuyển cấp trên", required=False,
        help_text="Để trống: hôm nay. Kết thúc hoạt động lấy ngày sau “hiệu lực đến”.",
    )

    class Meta:
        model = Organisation
        fields = "__all__"

    def clean(self):
        data = super().clean()
        org = self.instance
        if org.pk is None:
            # The checks of services.org_create, here so that a mistake is a form error, not a 500.
            parent = data.get("parent")
            starts = data.get("valid_from") or data.get("effective") or timezone.localdate()
            if parent is not None and not parent.is_active(starts):
                self.add_error("parent", f"Đơn vị cấp trên “{parent.name}” không hoạt động vào ngày {starts:%d/%m/%Y}")
            return data
        # self.instance still holds the stored values here (the form copies its data later).
        parent = data.get("parent")
        if "parent" in data and (parent.pk if parent else None) != org.parent_id:
            try:
                services.check_move(org, parent)
            except ValidationError as e:
                self.add_error("parent", e.message_dict["parent"])
            effective = data.get("effective") or timezone.localdate()
            if parent is not None and not parent.is_active(effective):
                self.add_error("parent", f"Đơn vị cấp trên mới “{parent.name}” không hoạt động vào ngày {effective:%d/%m/%Y}")
        valid_to = data.get("valid_to")
        if "valid_to" in data and valid_to is None and org.valid_to is not None:
            # Reopening: only while nothing was ended with the unit (its assignments end with
            # it and may have passed to a successor; undoing that is not an admin edit).
            if org.assignments.filter(valid_to=org.valid_to).exists():
                self.add_error(
                    "valid_to",
                    f"Không mở lại được “{org.name}”: các nhiệm vụ được giao đã kết thúc (hoặc chuyển cho đơn vị kế thừa) "
                    f"cùng ngày {org.valid_to:%d/%m/%Y}",
                )
        if valid_to and valid_to != org.valid_to:
            if org.valid_to:
                self.add_error("valid_to", f"“{org.name}” đã kết thúc hoạt động từ {org.valid_to:%d/%m/%Y}")
            vf = data.get("valid_from")
            if vf and valid_to < vf:
                self.add_error("valid_to", "Hiệu lực đến: không được trước ngày hiệu lực từ")
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "kind", "parent", "valid_from", "valid_to", "code")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "search_key", "code")
    raw_id_fields = ("parent",)
    inlines = [AliasInline]

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        effective = form.cleaned_data.get("effective") or timezone.localdate()
        if not change:
            services.org_create(org=obj, effective=obj.valid_from or effective, actor=request.user, reason=reason)
            return
        stored = Organisation.objects.get(pk=obj.pk)
        name, short_name, parent, valid_to = obj.name, obj.short_name, obj.parent, obj.valid_to
        # Plain fields first, the reorganisations through their services.
        obj.name, obj.short_name, obj.parent_id, obj.valid_to = (
            stored.name, stored.short_name, stored.parent_id, stored.valid_to
        )
        if valid_to is None and stored.valid_to is not None:
            obj.valid_to = None  # reopening a unit ended by mistake: a plain, recorded edit
        if any(getattr(obj, f) != getattr(stored, f) for f in ("code", "kind", "admin_code", "valid_from", "valid_to", "email", "note")):
            before = services._snapshot(stored)
            services._save(obj, reason)
            services._record(obj, OrgChangeKind.EDIT, effective=effective, actor=request.user, reason=reason, before=before)
        if (name, short_name) != (stored.name, stored.short_name):
            services.org_rename(org=obj, name=name, short_name=short_name, effective=effective, actor=request.user, reason=reason)
        if (parent.pk if parent else None) != stored.parent_id:
            services.org_move(org=obj, new_parent=parent, effective=effective, actor=request.user, reason=reason)
        if valid_to is not None and valid_to != stored.valid_to:
            services.org_end(org=obj, effective=valid_to + timedelta(days=1), actor=request.user, reason=reason)
        obj.refresh_from_db()


@admin.register(OrgAlias)
class OrgAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "org", "source")
    search_fields = ("alias", "key")
    raw_id_fields = ("org",)


class OrgSuccessionForm(forms.ModelForm):
    change_reason = forms.CharField(label="Lý do thay đổi", help_text=REASON_HELP, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = OrgSuccession
        fields = ("predecessor", "successor", "effective", "detail")

    def clean(self):
        data = super().clean()
        pred, succ, eff = data.get("predecessor"), data.get("successor"), data.get("effective")
        if self.instance.pk is None and pred and succ and eff:
            last_day = eff - timedelta(days=1)
            if pred.valid_to and pred.valid_to < last_day:
                self.add_error("effective", f"“{pred.name}” đã kết thúc hoạt động từ {pred.valid_to:%d/%m/%Y}")
            elif pred.valid_from and pred.valid_from > last_day:
                self.add_error("effective", f"“{pred.name}” chỉ bắt đầu hoạt động từ {pred.valid_from:%d/%m/%Y}")
            elif succ.path.startswith(pred.path):
                self.add_error("successor", "Đơn vị kế thừa không thể là đơn vị cũ hay đơn vị cấp dưới của nó")
            elif not succ.is_active(eff):
                self.add_error("successor", f"“{succ.name}” không hoạt động vào ngày {eff:%d/%m/%Y}")
        return data


@admin.register(OrgSuccession)
class OrgSuccessionAdmin(admin.ModelAdmin):
    """Adding a succession ends the old unit (org_end): its open assignments pass to the
    successor. A recorded succession is history: only its detail may be edited."""

    form = OrgSuccessionForm
    list_display = ("predecessor", "successor", "effective", "source")
    raw_id_fields = ("predecessor", "successor")

    def get_readonly_fields(self, request, obj=None):
        return ("predecessor", "successor", "effective", "source") if obj else ("source",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        if change:
            obj._change_reason = reason
            obj.save()
            return
        services.org_end(
            org=obj.predecessor, effective=obj.effective, successors=[obj.successor], actor=request.user,
            reason=reason, detail=obj.detail,
        )
        obj.pk = OrgSuccession.objects.get(predecessor=obj.predecessor, successor=obj.successor).pk
        obj.refresh_from_db()


@admin.register(OrgChange)
class OrgChangeAdmin(admin.ModelAdmin):
    """The record of reorganisations: read-only."""

    list_display = ("org", "kind", "effective", "actor", "reason", "recorded_at")
    list_filter = ("kind",)
    search_fields = ("org__name", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "org", "scope")
    list_filter = ("role",)
    raw_id_fields = ("user", "org", "scope")
