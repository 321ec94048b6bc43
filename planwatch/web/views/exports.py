"""Export of official reports (DOCX per Decree 30, XLSX, PDF) as background jobs."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from planwatch.documents.default_template import default_template_bytes
from planwatch.documents.models import ExportFormat, ExportJob, ExportStatus
from planwatch.documents.services import ExportError, can_export, export_request, fail_stale_jobs, job_checked
from planwatch.lib.dates import parse_vn_date
from planwatch.orgs.access import visible_orgs
from planwatch.orgs.models import Organisation, OrgKind
from planwatch.reporting.models import ReportingPeriod

UNIT_KINDS = [k for k in OrgKind.values if k != OrgKind.GROUP]
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ExportForm(forms.Form):
    period = forms.ModelChoiceField(label="Kỳ báo cáo", queryset=ReportingPeriod.objects.none())
    org = forms.ModelChoiceField(label="Đơn vị / địa bàn", queryset=Organisation.objects.none())
    fmt = forms.ChoiceField(label="Định dạng", choices=ExportFormat.choices, initial=ExportFormat.DOCX)
    report_date = forms.CharField(label="Ngày báo cáo (ngày/tháng/năm)", required=False)
    accepted_only = forms.BooleanField(
        label="Chỉ tổng hợp báo cáo đã tiếp nhận", required=False,
        help_text="Không chọn: tổng hợp các báo cáo đã gửi và đã tiếp nhận. Báo cáo nháp và báo cáo bị trả lại không được tính.",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from planwatch.web.templatetags.monitoring_tables import plan_label

        self.fields["period"].queryset = ReportingPeriod.objects.select_related("plan__document").order_by("plan__code", "-end")
        self.fields["period"].label_from_instance = lambda p: f"{plan_label(p.plan)} – {p.label}"
        self.fields["org"].queryset = visible_orgs(user).filter(kind__in=UNIT_KINDS).order_by("depth", "path")

    def clean_report_date(self):
        raw = self.cleaned_data.get("report_date", "").strip()
        if not raw:
            return timezone.localdate()
        d = parse_vn_date(raw)
        if d is None:
            raise forms.ValidationError("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 10/11/2026.")
        return d


def _job_for_user(user, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("period__plan", "org"), pk=pk)
    # Not allowed → 404: we do not confirm another unit's export exists.
    if not can_export(user, job.org):
        raise Http404("Không tìm thấy lượt xuất báo cáo")
    return job


@login_required
def export_home(request):
    if request.method == "POST":
        form = ExportForm(request.user, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                job = export_request(
                    period=d["period"], org=d["org"], fmt=d["fmt"], by=request.user,
                    report_date=d["report_date"], accepted_only=d["accepted_only"],
                )
            except PermissionDenied:
                form.add_error("org", "Bạn không có quyền xuất báo cáo của đơn vị này.")
            except ExportError as e:
                form.add_error(None, str(e))
            else:
                return redirect("export_job", pk=job.pk)
    else:
        initial = {}
        if request.GET.get("ky"):
            initial["period"] = request.GET["ky"]
        if request.GET.get("don_vi"):
            initial["org"] = request.GET["don_vi"]
        form = ExportForm(request.user, initial=initial)
    mine = ExportJob.objects.filter(created_by=request.user)
    fail_stale_jobs(mine)  # a job whose worker died shows as failed, so it can be retried
    jobs = mine.select_related("period", "org")[:15]
    return render(request, "web/exports/export_home.html", {"form": form, "jobs": jobs})


@login_required
def export_job(request, pk: int):
    job = job_checked(_job_for_user(request.user, pk))
    return render(request, "web/exports/export_job.html", {"job": job})


@login_required
def export_job_status(request, pk: int):
    """The htmx fragment polled every second until the job is finished."""
    job = job_checked(_job_for_user(request.user, pk))
    return render(request, "web/exports/_job_status.html", {"job": job})


@login_required
def export_download(request, pk: int):
    job = _job_for_user(request.user, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404("Tệp chưa sẵn sàng")
    resp = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=CONTENT_TYPES.get(job.fmt, "application/octet-stream"))
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
def default_template_download(request):
    resp = HttpResponse(default_template_bytes(), content_type=CONTENT_TYPES["docx"])
    resp["Content-Disposition"] = 'attachment; filename="mau-bao-cao-mac-dinh.docx"'
    return resp


__all__ = ["export_download", "export_home", "export_job", "export_job_status", "default_template_download"]
