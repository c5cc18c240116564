"""A job's own page (progress, result, error; it polls itself while the job runs) and the list of jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from fhb.accounts.access import STAFF_ROLES, role_required, staff_user
from fhb.accounts.models import Role
from fhb.jobs.models import Job
from fhb.jobs.starting import JobRefused, start_job
from fhb.jobs.worker import worker_missing

LEADERS = (Role.LEADER, Role.ADMIN)


@role_required(*STAFF_ROLES)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("started_by"), pk=pk)
    user = staff_user(request)
    if job.started_by_id != user.pk and not user.has_role(*LEADERS):
        raise PermissionDenied
    context = {"job": job, "worker_missing": job.state == Job.State.QUEUED and worker_missing()}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/job_detail.html", context)


@role_required(*LEADERS)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.select_related("started_by")[:100]
    return render(request, "jobs/job_list.html", {"jobs": jobs, "worker_missing": worker_missing()})


def start_from_page(
    request: HttpRequest, name: str, title: str, params: dict[str, Any], *, back: str
) -> HttpResponse:
    """Start a job from a page's POST and show its page; when refused, say why on the page ``back``."""
    try:
        job = start_job(name, title, params=params, user=staff_user(request))
    except JobRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    return redirect("job-detail", pk=job.pk)
