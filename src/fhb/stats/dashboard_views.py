"""The leader's statistics page and its exports (CSV per table, one XLSX, the committee report as PDF)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.accounts.access import role_required
from fhb.accounts.models import Role
from fhb.standards.current import current_standard
from fhb.stats.dashboard import Dashboard, dashboard
from fhb.stats.export import safe_filename, table_csv, tables_xlsx
from fhb.stats.forms import DashboardForm
from fhb.stats.report import Report, Section, report_pdf
from fhb.ui.charts import BESIDE_WIDTH, WIDTH, svg

LEADERS = (Role.LEADER, Role.ADMIN)

#: A table with more columns than this (the months) has its chart above it, across the page.
WIDE_TABLE_COLUMNS = 6

#: Drawing is pure and a cached page shows the same charts again: each process keeps the latest drawings.
chart_svg = lru_cache(maxsize=64)(svg)


def _dashboard(request: HttpRequest) -> tuple[DashboardForm, Dashboard]:
    """The figures for the request's filters, counted at most ``FHB_STATS_CACHE_SECONDS`` ago (``?frisk=1``
    counts afresh), in the cache all the server's processes share."""
    today = timezone.localdate()
    standard = current_standard()
    form = DashboardForm(request.GET, today=today, standard=standard)
    filters = form.filters()
    key = f"fhb-stats:{standard.id}:{today}:{filters.year}:{filters.group}:{filters.consultant_id}"
    board = cache.get(key) if settings.FHB_STATS_CACHE_SECONDS and not request.GET.get("frisk") else None
    if board is None:
        board = dashboard(filters, standard, today)
        if settings.FHB_STATS_CACHE_SECONDS:
            cache.set(key, board, settings.FHB_STATS_CACHE_SECONDS)
    return form, board


def _subtitle(form: DashboardForm, board: Dashboard) -> str:
    """The filters in words: "2026 · Alle målgrupper · Alle konsulenter"."""
    choices = {
        name: dict((str(k), str(v)) for k, v in form.fields[name].choices)  # type: ignore[attr-defined]
        for name in ("group", "consultant")
    }
    group = choices["group"].get(board.filters.group, board.filters.group)
    consultant = choices["consultant"].get(str(board.filters.consultant_id or ""), "")
    return " · ".join((str(board.filters.year), group, consultant))


def _query(request: HttpRequest) -> str:
    """The filters as a query string for the export links (without ``frisk``)."""
    query = request.GET.copy()
    query.pop("frisk", None)
    return query.urlencode()


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*LEADERS)
def stats_dashboard(request: HttpRequest) -> HttpResponse:
    form, board = _dashboard(request)
    charts = {chart.table_key: chart for chart in board.charts}
    sections = []
    for table in board.tables:
        # A chart stands above a wide table, beside a narrow one: drawn as wide as it is shown, so that its
        # text shows as large as the page's.
        above = len(table.columns) > WIDE_TABLE_COLUMNS
        chart = charts.get(table.key)
        drawing = chart_svg(chart, width=WIDTH if above else BESIDE_WIDTH) if chart is not None else ""
        sections.append((table, drawing, above))
    return render(
        request,
        "stats/dashboard.html",
        {
            "form": form,
            "board": board,
            "sections": sections,
            "subtitle": _subtitle(form, board),
            "query": _query(request),
        },
    )


@role_required(*LEADERS)
def stats_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, board = _dashboard(request)
    try:
        table = board.table(key)
    except KeyError:
        raise Http404(_("Tabellen findes ikke.")) from None
    name = safe_filename(f"fhb-{table.key}-{board.filters.year}") + ".csv"
    return _download(table_csv(table), "text/csv; charset=utf-8", name)


@role_required(*LEADERS)
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    form, board = _dashboard(request)
    content = tables_xlsx(board.tables, title=_subtitle(form, board))
    name = safe_filename(f"fhb-statistik-{board.filters.year}") + ".xlsx"
    return _download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)


@role_required(*LEADERS)
def stats_report(request: HttpRequest) -> HttpResponse:
    form, board = _dashboard(request)
    standard = current_standard()
    charts = {chart.table_key: chart for chart in board.charts}
    report = Report(
        title=_("Forebyggende hjemmebesøg – statistik %(year)s") % {"year": board.filters.year},
        municipality=standard.municipality.name,
        subtitle=_subtitle(form, board),
        generated=timezone.localtime(),
        sections=tuple(
            Section(
                heading=table.title,
                text="",
                charts=(charts[table.key],) if table.key in charts else (),
                tables=(table,),
            )
            for table in board.tables
        ),
    )
    name = safe_filename(f"fhb-rapport-{board.filters.year}") + ".pdf"
    return _download(report_pdf(report), "application/pdf", name)
