"""Offline Excel round trip of a unit report: download the XLSX, upload it filled (a preview
of every cell problem or change), apply the changes as one version-checked save.
Thin views: access helper → reporting.offline_xlsx → response."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from planwatch.reporting import offline_xlsx as X
from planwatch.reporting.access import get_report_for_user
from planwatch.reporting.services import ReportingError, VersionConflict

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SALT = "planwatch.offline-xlsx"
_MAX_AGE = 12 * 3600  # a preview left open over a night must be uploaded again


@login_required
def offline_download(request, pk: int):
    report = get_report_for_user(request.user, pk)
    resp = HttpResponse(X.build_workbook(report), content_type=XLSX_TYPE)
    resp["Content-Disposition"] = f'attachment; filename="{X.file_name(report)}"'
    return resp


def _context(report, **extra):
    return {"report": report, "period": report.period, **extra}


@login_required
def offline_upload(request, pk: int):
    """GET: the upload form. POST (a file): the preview of what the file would change."""
    report = get_report_for_user(request.user, pk, write=True)
    if request.method != "POST":
        return render(request, "web/offline/upload.html", _context(report))
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "web/offline/upload.html", _context(report, file_error="Chọn tệp Excel để tải lên."), status=422)
    try:
        read = X.read_workbook(report, upload)
    except ReportingError as e:
        return render(request, "web/offline/upload.html", _context(report, file_error=str(e), file_name=upload.name), status=422)
    token = ""
    if read.can_apply:
        token = signing.dumps(
            {"u": request.user.pk, "r": report.pk, "v": read.file_version, "f": upload.name[:200],
             "d": X.data_to_json(read.data)},
            salt=_SALT, compress=True,
        )
    return render(request, "web/offline/upload.html", _context(report, read=read, token=token, file_name=upload.name),
                  status=422 if read.problems else 200)


@login_required
@require_POST
def offline_apply(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=_SALT, max_age=_MAX_AGE)
    except signing.SignatureExpired:
        messages.error(request, "Bản xem trước đã quá lâu: hãy tải tệp lên lại.")
        return redirect("offline_upload", pk=report.pk)
    except signing.BadSignature:
        raise PermissionDenied("Dữ liệu áp dụng không hợp lệ") from None
    if payload.get("u") != request.user.pk or payload.get("r") != report.pk:
        raise PermissionDenied("Dữ liệu áp dụng không thuộc báo cáo này")
    data = X.data_from_json(payload["d"])
    try:
        X.offline_apply(report=report, by=request.user, data=data, expected_version=payload["v"], file_name=payload.get("f", ""))
    except VersionConflict as e:
        return render(request, "web/offline/upload.html", _context(report, conflict=e, file_name=payload.get("f", "")), status=409)
    except ReportingError as e:
        messages.error(request, f"Chưa áp dụng tệp. {e}")
        return redirect("offline_upload", pk=report.pk)
    n = X.count_changes(data)
    messages.success(request, f"Đã áp dụng {n} ô thay đổi từ tệp “{payload.get('f', '')}” vào báo cáo.")
    return redirect("report_detail", pk=report.pk)
