"""The citizen list's filters: target group, offer state and consultant, alone and with the text search."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from fhb.citizens.actions import import_extract
from fhb.citizens.importer import ImportFile
from fhb.offers.actions import start_run
from fhb.offers.models import Offer
from fhb.pages import citizen_list
from fhb.planning.models import Consultant
from fhb.standards.current import current_standard
from fhb.visits.models import Visit
from tests.citizens.builders import citizens_csv, person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

YEAR = 2027

#: Each citizen lives alone; born 1947 they turn 80 in 2027 (Hjørring's "Målgruppe 3", group age80).
CITIZENS = [
    person("0101470001", "Anna Aagaard", "adr-1"),  # age80, no answer yet
    person("0201470002", "Birthe Bak", "adr-2"),  # age80, a visit planned with Karen
    person("0301470003", "Carla Krog", "adr-3"),  # age80, a visit held by Kim
    person("0401470004", "Dorte Dahl", "adr-4"),  # age80, answered no
    person("0501470005", "Ella Eg", "adr-5"),  # age80, Karen met a closed door
    person("0601470006", "Frida Fisker", "adr-6"),  # age80, exempt
    person("0701470007", "Gerda Grøn", "adr-7"),  # age80, handed to the dementia coordinator
    person("0801470010", "Jens Juul", "adr-8"),  # age80, the offer was withdrawn
    person("0101570008", "Hanne Holm", "adr-9"),  # turns 70 living alone: group alone70, no answer yet
    person("0101600009", "Ib Iversen", "adr-0"),  # 67: no offer at all
]


def offer_of(cpr: str) -> Offer:
    return Offer.objects.get(citizen__cpr=cpr, year=YEAR)


def add_visit(cpr: str, status: str, consultant: Any, day: int = 1) -> Visit:
    visit = Visit.objects.create(
        start=datetime(YEAR, 3, day, 9, tzinfo=UTC),
        end=datetime(YEAR, 3, day, 10, tzinfo=UTC),
        status=status,
        consultant=consultant,
    )
    visit.offers.add(offer_of(cpr))
    return visit


def make_consultant(make_user: Any, username: str, first_name: str) -> Any:
    user = make_user("consultant", username)
    user.first_name = first_name
    user.save()
    Consultant.objects.create(user=user, base_lat=57.4643, base_lon=9.9822)
    return user


@pytest.fixture
def municipality(settings: Any, make_user: Any) -> dict[str, Any]:
    """The citizens above with their offers, answers and visits; Karen (logged in later) and Kim plan."""
    settings.FHB_STANDARD = "hjoerring"
    import_extract(ImportFile("citizens.csv", citizens_csv(CITIZENS)))
    start_run(YEAR, "yearly", on=date(YEAR, 1, 1), standard=current_standard())
    karen = make_consultant(make_user, "karen", "Karen")
    kim = make_consultant(make_user, "kim", "Kim")
    add_visit("0201470002", Visit.Status.PLANNED, karen)
    add_visit("0301470003", Visit.Status.HELD, kim)
    add_visit("0501470005", Visit.Status.CLOSED_DOOR, karen)
    Offer.objects.filter(citizen__cpr="0401470004").update(reply=Offer.Reply.NO)
    Offer.objects.filter(citizen__cpr="0601470006").update(decision=Offer.Decision.EXEMPT)
    Offer.objects.filter(citizen__cpr="0701470007").update(decision=Offer.Decision.DEMENTIA_COORDINATOR)
    Offer.objects.filter(citizen__cpr="0801470010").update(status=Offer.Status.WITHDRAWN)
    return {"karen": karen, "kim": kim}


@pytest.fixture
def karen_client(client: Any, municipality: dict[str, Any]) -> Any:
    assert client.login(username="karen", password=PASSWORD)
    return client


def listed(client: Any, **params: Any) -> list[str]:
    response = client.get(reverse("citizen-list"), params)
    assert response.status_code == 200, f"{params} gave {response.status_code}"
    return [citizen.name for citizen in response.context["page"].object_list]


def test_the_municipality_has_the_offers_the_tests_rely_on(municipality: dict[str, Any]) -> None:
    groups = dict(Offer.objects.filter(year=YEAR).values_list("citizen__cpr", "group"))
    assert groups["0101470001"] == "age80", "a citizen turning 80 gets Hjørring's group age80"
    assert groups["0101570008"] == "alone70", "a citizen turning 70 living alone gets group alone70"
    assert "0101600009" not in groups, "a 67-year-old gets no offer"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (
            "age80",
            {
                "Anna Aagaard",
                "Birthe Bak",
                "Carla Krog",
                "Dorte Dahl",
                "Ella Eg",
                "Frida Fisker",
                "Gerda Grøn",
            },
        ),
        ("alone70", {"Hanne Holm"}),
        ("age75", set()),
    ],
)
def test_group_filter_lists_citizens_with_an_active_offer_of_the_group(
    karen_client: Any, group: str, expected: set[str]
) -> None:
    assert set(listed(karen_client, group=group)) == expected, (
        f"group {group} (a withdrawn offer does not count)"
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("none", {"Frida Fisker", "Gerda Grøn", "Jens Juul", "Ib Iversen"}),
        ("waiting", {"Anna Aagaard", "Hanne Holm"}),
        ("planned", {"Birthe Bak"}),
        ("held", {"Carla Krog"}),
        ("declined", {"Dorte Dahl"}),
        ("closed_door", {"Ella Eg"}),
        ("dementia_coordinator", {"Gerda Grøn"}),
        ("exempt", {"Frida Fisker"}),
    ],
)
def test_state_filter_lists_citizens_whose_offer_is_in_that_state(
    karen_client: Any, state: str, expected: set[str]
) -> None:
    assert set(listed(karen_client, state=state)) == expected, f"state {state}"


def test_a_declined_visit_counts_as_declined(karen_client: Any, municipality: dict[str, Any]) -> None:
    add_visit("0101470001", Visit.Status.DECLINED, municipality["kim"])
    assert "Anna Aagaard" in listed(karen_client, state="declined")
    assert "Anna Aagaard" not in listed(karen_client, state="waiting")


def test_a_new_planned_visit_after_a_closed_door_is_planned(
    karen_client: Any, municipality: dict[str, Any]
) -> None:
    add_visit("0501470005", Visit.Status.PLANNED, municipality["karen"], day=15)
    assert "Ella Eg" in listed(karen_client, state="planned")
    assert "Ella Eg" not in listed(karen_client, state="closed_door"), "each offer is in one state"


def test_a_cancelled_visit_counts_as_no_visit(karen_client: Any, municipality: dict[str, Any]) -> None:
    add_visit("0101470001", Visit.Status.CANCELLED, municipality["karen"])
    assert "Anna Aagaard" in listed(karen_client, state="waiting")
    assert "Anna Aagaard" not in listed(karen_client, consultant="mine"), "a cancelled visit is no one's"


def test_group_and_state_apply_to_the_same_offer(karen_client: Any) -> None:
    assert listed(karen_client, group="age80", state="waiting") == ["Anna Aagaard"]
    assert listed(karen_client, group="alone70", state="waiting") == ["Hanne Holm"]
    assert set(listed(karen_client, group="age80", state="none")) == {"Frida Fisker", "Gerda Grøn"}, (
        "in the group, without an offer: exempt or handed over"
    )


def test_consultant_filter_lists_planned_and_held_visits(
    karen_client: Any, municipality: dict[str, Any]
) -> None:
    karen, kim = municipality["karen"], municipality["kim"]
    assert listed(karen_client, consultant=str(karen.pk)) == ["Birthe Bak"], (
        "a closed door is not a visit held"
    )
    assert listed(karen_client, consultant=str(kim.pk)) == ["Carla Krog"]
    assert listed(karen_client, consultant="mine") == ["Birthe Bak"], "mine is the logged-in user"


def test_consultant_filter_counts_only_the_plan_year(karen_client: Any, municipality: dict[str, Any]) -> None:
    Offer.objects.filter(citizen__cpr="0201470002").update(year=YEAR - 1)
    assert listed(karen_client, consultant="mine") == []


def test_filters_combine_with_the_text_search(karen_client: Any) -> None:
    assert listed(karen_client, q="Krog", state="held") == ["Carla Krog"]
    assert listed(karen_client, q="Krog", state="planned") == []
    assert listed(karen_client, q="Bak", consultant="mine", group="age80", state="planned") == ["Birthe Bak"]
    assert listed(karen_client, q="Kløvervej 9", group="alone70") == ["Hanne Holm"]


def test_a_citizen_with_several_matching_offers_and_visits_is_listed_once(
    karen_client: Any, municipality: dict[str, Any]
) -> None:
    first = offer_of("0201470002")
    add_visit("0201470002", Visit.Status.HELD, municipality["karen"], day=2)
    second = Offer.objects.get(pk=first.pk)
    second.pk, second.group = None, "request"
    second.save()
    for visit in first.visits.all():
        visit.offers.add(second)  # two offers, each with a planned and a held visit
    for params in (
        {"consultant": "mine"},
        {"state": "held"},
        {"state": "held", "q": "Bak", "group": "request"},
    ):
        response = karen_client.get(reverse("citizen-list"), params)
        names = [c.name for c in response.context["page"].object_list]
        assert names.count("Birthe Bak") == 1, f"{params}: listed once"
        assert response.context["page"].paginator.count == len(names), (
            f"{params}: the count has no duplicates"
        )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"group": "age99"}, "Målgruppen age99 findes ikke i kvalitetsstandarden."),
        ({"state": "lost"}, "Tilbudsstatus lost findes ikke."),
        ({"consultant": "999999"}, "Konsulenten findes ikke eller er ikke aktiv."),
        ({"consultant": "karen"}, "Konsulenten findes ikke eller er ikke aktiv."),
        ({"q": "x" * 500}, "Søgningen er for lang (højst 100 tegn)."),
        ({"q": "x"}, "Skriv mindst 2 tegn for at søge."),
    ],
)
def test_bad_filter_values_give_a_danish_error(
    karen_client: Any, params: dict[str, str], message: str
) -> None:
    response = karen_client.get(reverse("citizen-list"), params)
    assert response.status_code == 200, f"{params} must not fail"
    assert message in response.content.decode(), f"{params} should say {message!r}"
    assert len(response.context["page"].object_list) == len(CITIZENS), "a bad filter is left out"


def test_a_user_without_a_planning_row_is_not_a_consultant_choice(
    karen_client: Any, make_user: Any, municipality: dict[str, Any]
) -> None:
    leader = make_user("leader", "lone")
    Consultant.objects.filter(user=municipality["kim"]).update(active=False)
    for user in (leader, municipality["kim"]):
        response = karen_client.get(reverse("citizen-list"), {"consultant": str(user.pk)})
        assert "Konsulenten findes ikke" in response.content.decode(), f"{user.username} is not a choice"


def test_a_bad_value_leaves_the_good_filters_working(karen_client: Any) -> None:
    response = karen_client.get(reverse("citizen-list"), {"q": "Krog", "group": "age99", "state": "held"})
    assert "Målgruppen age99 findes ikke" in response.content.decode()
    assert [c.name for c in response.context["page"].object_list] == ["Carla Krog"]


def test_results_show_the_plan_years_group_and_state(karen_client: Any) -> None:
    response = karen_client.get(reverse("citizen-list"), {"q": "Bak"})
    (citizen, lines), *_ = response.context["rows"]
    assert citizen.name == "Birthe Bak"
    assert [(line.group, line.state_label) for line in lines] == [("Målgruppe 3", "Besøg planlagt")]
    html = response.content.decode()
    assert "Tilbud 2027" in html and "Målgruppe 3</span>: Besøg planlagt" in html


def test_results_say_when_a_citizen_has_no_offer(karen_client: Any) -> None:
    response = karen_client.get(reverse("citizen-list"), {"q": "Iversen"})
    assert response.context["rows"][0][1] == []
    assert "Uden tilbud" in response.content.decode()


def test_htmx_partial_applies_filters_and_shows_errors(karen_client: Any) -> None:
    response = karen_client.get(
        reverse("citizen-list"), {"state": "held", "consultant": "999999"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html, "only the results are sent"
    assert "Carla Krog" in html and "Anna Aagaard" not in html
    assert "Konsulenten findes ikke" in html, "the error shows in the live search as well"


def test_the_form_submits_the_new_filters_live(karen_client: Any) -> None:
    html = karen_client.get(reverse("citizen-list")).content.decode()
    for field in ("group", "state", "consultant"):
        assert f"change from:#id_{field}" in html, f"changing {field} re-submits the live search"
    assert "Karen" in html and "Mine borgere" in html


def test_pagination_links_keep_the_filters(karen_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(citizen_list, "PAGE_SIZE", 1)
    response = karen_client.get(reverse("citizen-list"), {"group": "age80", "state": "none", "q": "er"})
    assert [c.name for c in response.context["page"].object_list] == ["Frida Fisker"]
    html = response.content.decode()
    assert "?group=age80&amp;state=none&amp;q=er&amp;page=2" in html, "the next page keeps group, state and q"
    response = karen_client.get(
        reverse("citizen-list"), {"group": "age80", "state": "none", "q": "er", "page": 2}
    )
    assert [c.name for c in response.context["page"].object_list] == ["Gerda Grøn"]


def test_query_count_does_not_grow_with_the_rows(
    client: Any, make_user: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """60 citizens with offers and visits: a page of 50 rows in a fixed handful of queries (11 when written:
    plan year, count, page, the page's offers and the consultant choices, plus session, user and page frame).
    A query per row would make it over 50."""
    settings.FHB_STANDARD = "hjoerring"
    rows = [
        person(f"{day:02d}{month:02d}470{day:03d}", f"Borger {month}-{day}", f"adr-{day}")
        for month in (1, 3)
        for day in range(1, 31)
    ]
    import_extract(ImportFile("citizens.csv", citizens_csv(rows)))
    start_run(YEAR, "yearly", on=date(YEAR, 1, 1), standard=current_standard())
    karen = make_consultant(make_user, "karen", "Karen")
    for i, offer in enumerate(Offer.objects.all()):
        visit = Visit.objects.create(
            start=datetime(YEAR, 3, 1, 9, tzinfo=UTC) + timedelta(days=i),
            end=datetime(YEAR, 3, 1, 10, tzinfo=UTC) + timedelta(days=i),
            status=Visit.Status.HELD if i % 2 else Visit.Status.PLANNED,
            consultant=karen,
        )
        visit.offers.add(offer)
    assert client.login(username="karen", password=PASSWORD)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("citizen-list"), {"consultant": "mine", "group": "age80", "q": "Borger"}
        )
    assert len(response.context["rows"]) == citizen_list.PAGE_SIZE
    assert all(lines for _, lines in response.context["rows"]), "each row shows its offer"
