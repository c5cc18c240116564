"""The leader's dashboard for one year: every table and chart of the statistics page, each from its own
function over the counts in :mod:`fhb.stats.figures`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fhb.core.standard.schema import QualityStandard, Trigger
from fhb.offers.groups import group_order
from fhb.offers.models import Assessment
from fhb.stats.arrangement_figures import arrangement_figures
from fhb.stats.assessment_figures import (
    FIGURES,
    OUTCOMES,
    TASKS,
    CaseKey,
    assessments_by_case,
    referrals_by_source,
    throughput,
)
from fhb.stats.event_figures import club_visit_figures, seniormesse_figures
from fhb.stats.figures import (
    MONTHS,
    VISIT_STATUSES,
    ConsultantHours,
    Coverage,
    Filters,
    by_month,
    coverage,
    group_names,
    hours_by_consultant,
    offers_by_group,
    ordered,
    percent,
    requests_figures,
    short_names,
    visits_by_group,
)
from fhb.stats.tables import Cell, Table
from fhb.ui.charts import Chart, Series
from fhb.ui.numbers import format_number
from fhb.visits.models import Visit

#: Counts by group: group id -> figure name -> count (:func:`fhb.stats.figures.offers_by_group`).
ByGroup = dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class KeyFigure:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Dashboard:
    filters: Filters
    counted_at: dt.datetime
    key_figures: tuple[KeyFigure, ...]
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    notes: tuple[str, ...]

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def seniormesse_table(year: int, activities: frozenset[str] | None = None) -> Table:
    """The year's seniormesse events: invited, signed up, came, places (of ``activities``, or all)."""
    return _events_table(
        "seniormesse", _("Seniormesse"), year, activities, _("Arrangement"), lambda e: e["name"]
    )


def meetings_table(year: int, activities: frozenset[str]) -> Table:
    """The year's dates of the collective arrangements (information meetings): place, invited, signed up,
    came, places."""
    return _events_table(
        "moeder", _("Fællesarrangementernes datoer"), year, activities, _("Sted"), lambda e: e["place"]
    )


def _events_table(
    key: str,
    title: str,
    year: int,
    activities: frozenset[str] | None,
    what: str,
    named: Callable[[dict[str, Any]], str],
) -> Table:
    events = [e for e in seniormesse_figures(year) if activities is None or e["activity"] in activities]
    return Table(
        key=key,
        title=title,
        columns=(what, _("Dato"), _("Inviteret"), _("Tilmeldt"), _("Mødt"), _("Pladser")),
        rows=tuple(
            (
                named(event),
                f"{event['date']:%d.%m.%Y}",
                event["invited"],
                event["registered"],
                event["attended"] if event["attendance_recorded"] else None,
                event["capacity"],
            )
            for event in events
        ),
        note=_(
            "Inviteret: borgere med en invitation, der nævner arrangementet. Mødt tælles, når fremmødet er "
            "registreret. For hele kommunen."
        ),
    )


def arrangements_table(year: int, standard: QualityStandard) -> Table:
    """The groups whose offer is a collective arrangement: invited, signed up, came, asked for a visit."""
    names = group_names(standard)
    activities = {a.id: a.name for a in standard.activities}
    figures = arrangement_figures(year, standard)
    return Table(
        key="faellesarrangementer",
        title=_("Fællesarrangementer i stedet for besøg"),
        columns=(
            _("Målgruppe"),
            _("Arrangement"),
            _("Tilbud"),
            _("Inviteret"),
            _("Tilmeldt"),
            _("Mødt"),
            _("Udeblevet"),
            _("Ønsker besøg i stedet"),
            _("Besøg holdt"),
            _("Nej tak"),
        ),
        rows=tuple(
            (
                names.get(f.group, f.group),
                activities.get(f.activity, f.activity),
                f.offers,
                f.invited,
                f.signed_up,
                f.attended,
                f.no_show,
                f.visit_instead,
                f.visit_held,
                f.declined,
            )
            for f in figures
        ),
        note=_(
            "Tilbud i målgrupper, hvor tilbuddet er et fællesarrangement. Inviteret: tilbud med en "
            "invitation. Tilmeldt, mødt og udeblevet tæller borgere (én gang, selv med flere tilmeldinger); "
            "udeblevet: tilmeldt, men ikke mødt til nogen dato, og skal tilbydes et individuelt besøg. "
            "For hele kommunen."
        ),
    )


def club_visits(filters: Filters) -> tuple[Table, Chart]:
    """Talks in clubs and associations, month by month (the consultant filter applies)."""
    figures = club_visit_figures(filters.year, filters.consultant_id)
    table = Table(
        key="klubbesoeg",
        title=_("Besøg i foreninger og klubber"),
        columns=(_("Måned"), _("Foredrag"), _("Deltagere")),
        rows=tuple(
            (MONTHS[i], figures["per_month"][i], figures["attendees_per_month"][i]) for i in range(12)
        ),
        note=_("I alt %(talks)s foredrag for %(people)s deltagere; %(kinds)s.")
        % {
            "talks": format_number(figures["talks"]),
            "people": format_number(figures["attendees"]),
            "kinds": ", ".join(
                f"{kind['label'].lower()}: {kind['talks']}" for kind in figures["per_kind"].values()
            ),
        },
    )
    chart = Chart(
        kind="bars",
        title=_("Foredrag i foreninger og klubber pr. måned"),
        labels=MONTHS,
        series=(Series(_("Foredrag"), tuple(float(n) for n in figures["per_month"])),),
        unit=_("antal"),
        table_key=table.key,
    )
    return table, chart


def dashboard(filters: Filters, standard: QualityStandard, today: dt.date) -> Dashboard:
    """Every table and chart of the leader's page for ``filters``."""
    offers = offers_by_group(filters)
    visits = visits_by_group(filters)
    groups = ordered([*offers, *visits], standard)
    if filters.group:
        groups = [g for g in groups if g == filters.group] or [filters.group]
    goals = [c for c in coverage(standard, offers) if not filters.group or filters.group in c.groups]
    made, held = by_month(filters)
    consultants = hours_by_consultant(filters)
    requests = requests_figures(filters.year, today)

    goals_table = coverage_table(goals, standard)
    per_group = groups_table(groups, offers, visits, standard)
    per_month = month_table(made, held)
    named = statistics_table(groups, offers, visits, standard)
    tables = [
        goals_table,
        *([named] if named is not None else []),
        per_group,
        per_month,
        hours_table(consultants),
        requests_table(requests),
        assessments_table(assessments_by_case(filters), standard),
        referrals_table(referrals_by_source(filters)),
        deadlines_table(throughput(filters.year, today)),
    ]
    charts = [
        coverage_chart(goals, standard, goals_table),
        groups_chart(groups, offers, visits, standard, per_group),
        month_chart(made, held, per_month),
    ]
    activities = {activity.kind for activity in standard.activities}
    if "senior_fair" in activities:
        fairs = frozenset(a.id for a in standard.activities if a.kind == "senior_fair")
        tables.append(seniormesse_table(filters.year, fairs))
    if any(group.arrangement for group in standard.groups):
        tables.append(arrangements_table(filters.year, standard))
    meetings = frozenset(a.id for a in standard.activities if a.kind == "information_meeting")
    if meetings:
        tables.append(meetings_table(filters.year, meetings))
    if "club_visit" in activities:
        club_table, club_chart = club_visits(filters)
        tables.append(club_table)
        charts.append(club_chart)
    return Dashboard(
        filters,
        timezone.now(),
        key_figures(offers, visits, requests, consultants),
        tuple(tables),
        tuple(charts),
        tuple(filter_notes(filters)),
    )


def statistics_table(
    groups: list[str], offers: ByGroup, visits: ByGroup, standard: QualityStandard
) -> Table | None:
    """The figures the standard's ``[statistics]`` names (``measures``), per group, with its clause; None
    when the standard names none (Hjørring: "løbende statistik på antal af tilbudte besøg og gennemførte
    besøg")."""
    rule = standard.statistics
    if rule is None:
        return None
    names = group_names(standard)
    columns = {"offered": _("Tilbudte besøg"), "completed": _("Gennemførte besøg")}
    figures = {
        "offered": lambda g: offers.get(g, {}).get("made", 0),
        "completed": lambda g: visits.get(g, {}).get(Visit.Status.HELD, 0),
    }
    return Table(
        key="standardens-statistik",
        title=_("Kvalitetsstandardens statistik"),
        columns=(_("Målgruppe"), *(columns[m] for m in rule.measures)),
        rows=tuple((names.get(g, g), *(figures[m](g) for m in rule.measures)) for g in groups),
        note=_("Kvalitetsstandarden: %(clause)s") % {"clause": rule.clause_text},
    )


def groups_table(groups: list[str], offers: ByGroup, visits: ByGroup, standard: QualityStandard) -> Table:
    """Offers and visits per target group: in the group, made, answers, and the visits' outcomes."""
    names = group_names(standard)
    rows: list[tuple[Cell, ...]] = []
    for g in groups:
        o = offers.get(g, {})
        v = visits.get(g, dict.fromkeys(VISIT_STATUSES, 0))
        rows.append(
            (
                names.get(g, g),
                o.get("due", 0),
                o.get("made", 0),
                o.get("yes", 0),
                o.get("no", 0),
                o.get("none", 0),
                v[Visit.Status.HELD],
                v[Visit.Status.CLOSED_DOOR],
                v[Visit.Status.DECLINED],
                v[Visit.Status.CANCELLED],
                v[Visit.Status.PLANNED],
            )
        )
    return Table(
        key="maalgrupper",
        title=_("Tilbud og besøg pr. målgruppe"),
        columns=(
            _("Målgruppe"),
            _("I målgruppen"),
            _("Tilbud givet"),
            _("Ja tak"),
            _("Nej tak"),
            _("Intet svar"),
            _("Besøg gennemført"),
            _("Lukket dør"),
            _("Afslået ved døren"),
            _("Aflyst"),
            _("Planlagt"),
        ),
        rows=tuple(rows),
        note=_(
            "I målgruppen: borgere med et tilbud for planåret fra en kørsel (ikke bortfaldet, før det blev "
            "givet). Tilbud givet: brevet er sendt, henvendelsen bevilget eller besøget aftalt. Svar tælles "
            "pr. givet tilbud. Besøg tælles i det kalenderår, de lå i; et ægtepars besøg tæller én gang."
        ),
    )


def _goal_label(goal: Coverage, standard: QualityStandard) -> str:
    short = short_names(standard)
    return ", ".join(short.get(g, g) for g in goal.groups)


def coverage_table(goals: list[Coverage], standard: QualityStandard) -> Table:
    """The standard's quality goals: the share of each goal's groups offered a visit in the year."""
    return Table(
        key="kvalitetsmaal",
        title=_("Kvalitetsmål: andel tilbudt i året"),
        columns=(_("Målgrupper"), _("I målgruppen"), _("Tilbudt"), _("Dækning (%)"), _("Mål")),
        rows=tuple((_goal_label(c, standard), c.due, c.offered, c.percent, c.goal) for c in goals),
        note=_(
            "Dækning: andelen af målgruppens borgere, som har fået tilbuddet i planåret, mod "
            "kvalitetsstandardens mål. Mål efter behov har ingen andel; tallet er de givne tilbud."
        ),
    )


def month_table(made: list[int], held: list[int]) -> Table:
    """Offers made and visits held, month by month."""
    return Table(
        key="maaneder",
        title=_("Måned for måned"),
        columns=(_("Måned"), _("Tilbud givet"), _("Besøg gennemført")),
        rows=tuple((MONTHS[i], made[i], held[i]) for i in range(12)),
        note=_("Tilbud efter den dag, de blev givet; besøg efter besøgsdagen."),
    )


def hours_table(consultants: list[ConsultantHours]) -> Table:
    """Each consultant's visits and hours on visits and in the car."""
    return Table(
        key="timer",
        title=_("Konsulenternes timer"),
        columns=(
            _("Konsulent"),
            _("Gennemførte besøg"),
            _("Lukket dør"),
            _("Timer på besøg"),
            _("Timer i bil"),
        ),
        rows=tuple((c.name, c.held, c.closed_door, c.visit_hours, c.drive_hours) for c in consultants),
        note=_(
            "Timer på besøg: den registrerede varighed af gennemførte besøg. Kørsel: kørslen til hvert "
            "gennemført besøg og besøg med lukket dør fra forrige stop, og hjem efter dagens sidste."
        ),
    )


def requests_table(requests: dict[str, int]) -> Table:
    """Requests received in the year and how many were decided within their deadline."""
    decided_or_overdue = requests["on_time"] + requests["late"] + requests["overdue"]
    return Table(
        key="henvendelser",
        title=_("Henvendelser og svarfrist"),
        columns=(
            _("Modtaget"),
            _("Afgjort inden fristen"),
            _("Afgjort efter fristen"),
            _("Venter"),
            _("Over fristen"),
            _("Andel inden fristen (%)"),
        ),
        rows=(
            (
                requests["received"],
                requests["on_time"],
                requests["late"],
                requests["waiting"],
                requests["overdue"],
                percent(requests["on_time"], decided_or_overdue),
            ),
        ),
        note=_(
            "Henvendelser modtaget i året, for hele kommunen. Andelen regnes af de afgjorte og dem, der er "
            "over fristen uden afgørelse."
        ),
    )


def _assessment_columns() -> tuple[str, ...]:
    """Received, each outcome by the Danish name the assessment pages give it, and decided in time."""
    outcomes = (str(outcome.label) for outcome in OUTCOMES.values())
    return (_("Modtaget"), *outcomes, _("Afgjort inden fristen"))


def _referred_by(source: str) -> str:
    labels = {value: str(label) for value, label in Assessment.ReferredBy.choices}
    return labels.get(source, str(Assessment.ReferredBy.OTHER.label))


def _triggers(group: str, standard: QualityStandard) -> list[Trigger]:
    try:
        return standard.group(group).triggers
    except KeyError:
        return []


def case_label(case: CaseKey, standard: QualityStandard) -> str:
    """What brought the assessment, in Danish: the standard's name of the trigger for a run's assessment
    ("Tab af ægtefælle"), "Henvisning: Egen læge" for a referral."""
    group, origin, how = case
    if origin == Assessment.Origin.REFERRAL:
        return _("Henvisning: %(source)s") % {"source": _referred_by(how)}
    label = next((t.label for t in _triggers(group, standard) if t.event == how), "")
    if label:
        return label[:1].upper() + label[1:]
    return _("Anden hændelse") if how else _("Fundet ved kørslen")


def case_order(standard: QualityStandard) -> Callable[[CaseKey], tuple[tuple[int, str], int, int, str]]:
    """A sort key for assessment rows: the standard's group order; in a group, its triggers in the
    standard's order, then referrals by source."""
    groups = group_order(standard)
    sources: list[str] = list(Assessment.ReferredBy.values)

    def key(case: CaseKey) -> tuple[tuple[int, str], int, int, str]:
        group, origin, how = case
        if origin == Assessment.Origin.REFERRAL:
            return (groups(group), 1, sources.index(how) if how in sources else len(sources), how)
        events = [t.event for t in _triggers(group, standard)]
        return (groups(group), 0, events.index(how) if how in events else len(events), how)

    return key


def assessments_table(cases: dict[CaseKey, dict[str, int]], standard: QualityStandard) -> Table:
    """The plan year's assessments of need per target group and trigger (or source of a referral): received,
    each outcome and decided by the deadline; a total row under them."""
    names = group_names(standard)
    rows: list[tuple[Cell, ...]] = []
    for case in sorted(cases, key=case_order(standard)):
        figures = cases[case]
        rows.append((names.get(case[0], case[0]), case_label(case, standard), *(figures[f] for f in FIGURES)))
    if rows:
        total = (sum(cases[c][f] for c in cases) for f in FIGURES)
        rows.append((_("I alt"), None, *total))
    return Table(
        key="vurderinger",
        title=_("Vurderinger af behov"),
        columns=(_("Målgruppe"), _("Udløst af"), *_assessment_columns()),
        rows=tuple(rows),
        note=_(
            "Vurderinger i planåret: fra kørslen, når kvalitetsstandarden beder en konsulent vurdere "
            "behovet efter en hændelse, eller efter en henvisning. Bortfaldet: grundlaget faldt bort, før "
            "vurderingen blev afgjort. Afgjort inden fristen: afgjort af konsulenten (behov, intet behov, "
            "ikke truffet eller takket nej) senest på fristen."
        ),
    )


def referrals_table(sources: dict[str, dict[str, int]]) -> Table:
    """The plan year's referrals per source and outcome (every source once there is a referral)."""
    rows: list[tuple[Cell, ...]] = []
    if sources:
        empty = dict.fromkeys(FIGURES, 0)
        known = list(Assessment.ReferredBy.values)
        for source in [*known, *sorted(set(sources) - set(known))]:
            figures = sources.get(source, empty)
            rows.append((_referred_by(source), *(figures[f] for f in FIGURES)))
        rows.append((_("I alt"), *(sum(s[f] for s in sources.values()) for f in FIGURES)))
    return Table(
        key="henvisninger",
        title=_("Henvisninger"),
        columns=(_("Henvist af"), *_assessment_columns()),
        rows=tuple(rows),
        note=_(
            "Henvisninger til en vurdering af behov i planåret, efter hvem der henviste borgeren, og hvordan "
            "vurderingen endte."
        ),
    )


def deadlines_table(tasks: dict[str, dict[str, int]]) -> Table:
    """The worklist's tasks of the year: done by the deadline, done late, open past or before it."""
    names = {
        "assessments": _("Vurderinger af behov"),
        "requests": _("Henvendelser"),
        "follow_ups": _("Opfølgninger"),
    }
    rows: list[tuple[Cell, ...]] = []
    for kind in TASKS:
        t = tasks[kind]
        rows.append(
            (
                names[kind],
                t["on_time"],
                t["late"],
                t["overdue"],
                t["waiting"],
                percent(t["on_time"], t["on_time"] + t["late"] + t["overdue"]),
            )
        )
    return Table(
        key="frister",
        title=_("Opgaver løst inden fristen"),
        columns=(
            _("Opgave"),
            _("Løst inden fristen"),
            _("Løst efter fristen"),
            _("Åben, over fristen"),
            _("Åben, endnu ikke forfalden"),
            _("Andel inden fristen (%)"),
        ),
        rows=tuple(rows),
        note=_(
            "For hele kommunen: planårets vurderinger (afgjort), henvendelser modtaget i året med en frist "
            "(afgjort) og opfølgninger på planårets tilbud (udført). Bortfaldne opgaver tælles ikke. Andelen "
            "regnes af de løste og dem, der er over fristen uden at være løst."
        ),
    )


def coverage_chart(goals: list[Coverage], standard: QualityStandard, table: Table) -> Chart:
    measured = [c for c in goals if c.percent is not None]
    return Chart(
        kind="coverage",
        title=_("Dækning mod kvalitetsmålet"),
        labels=tuple(_goal_label(c, standard) for c in measured),
        series=(Series(_("Dækning"), tuple(c.percent for c in measured if c.percent is not None)),),
        unit="%",
        goal=100.0,
        table_key=table.key,
    )


def groups_chart(
    groups: list[str], offers: ByGroup, visits: ByGroup, standard: QualityStandard, table: Table
) -> Chart:
    short = short_names(standard)
    return Chart(
        kind="bars",
        title=_("Tilbud givet og besøg gennemført pr. målgruppe"),
        labels=tuple(short.get(g, g) for g in groups),
        series=(
            Series(_("Tilbud givet"), tuple(float(offers.get(g, {}).get("made", 0)) for g in groups)),
            Series(
                _("Besøg gennemført"),
                tuple(float(visits.get(g, {}).get(Visit.Status.HELD, 0)) for g in groups),
            ),
        ),
        unit=_("antal"),
        table_key=table.key,
    )


def month_chart(made: list[int], held: list[int], table: Table) -> Chart:
    return Chart(
        kind="line",
        title=_("Måned for måned"),
        labels=MONTHS,
        series=(
            Series(_("Tilbud givet"), tuple(float(n) for n in made)),
            Series(_("Besøg gennemført"), tuple(float(n) for n in held)),
        ),
        unit=_("antal"),
        table_key=table.key,
    )


def key_figures(
    offers: ByGroup, visits: ByGroup, requests: dict[str, int], consultants: list[ConsultantHours]
) -> tuple[KeyFigure, ...]:
    """The figures at the top of the page: offers made, visits held, coverage, requests, driving."""
    due = sum(o.get("due", 0) for o in offers.values())
    offered = sum(o.get("offered", 0) for o in offers.values())
    return (
        KeyFigure(_("Tilbud givet"), format_number(sum(o.get("made", 0) for o in offers.values()))),
        KeyFigure(_("Besøg gennemført"), format_number(sum(v[Visit.Status.HELD] for v in visits.values()))),
        KeyFigure(
            _("Tilbudt af målgruppen"), f"{format_number(offered)} / {format_number(due)}", _("borgere")
        ),
        KeyFigure(
            _("Henvendelser inden fristen"),
            f"{format_number(requests['on_time'])} / {format_number(requests['received'])}",
        ),
        KeyFigure(_("Timer i bil"), format_number(round(sum(c.drive_hours for c in consultants)))),
    )


def filter_notes(filters: Filters) -> list[str]:
    """What the filters mean for the figures, when they narrow some and not others."""
    if filters.consultant_id is None:
        return []
    return [
        _(
            "Konsulentfilteret gælder besøg, timer, konsulentens vurderinger og henvisninger og de tilbud, "
            "konsulenten har haft besøg til; kvalitetsmål, henvendelser og opgaver inden fristen gælder hele "
            "kommunen."
        )
    ]
