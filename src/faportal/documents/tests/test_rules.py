"""The documents' pure rules (SPEC S5.1, S5.4): tables of cases, and properties of the monthly report's calendar."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faportal.core.dates import YearMonth, is_working_day
from faportal.documents import rules
from faportal.documents.rules import CatalogueActivity, Closed, Code, ScheduleItem

D = datetime.date


def found(problems):
    return [f"{problem.field}:{problem.code}" for problem in problems]


# --- hours as typed ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("", Decimal(0)),
        ("  ", Decimal(0)),
        ("2", Decimal(2)),
        ("1,5", Decimal("1.5")),
        ("1.25", Decimal("1.25")),
        ("0,75", Decimal("0.75")),
        ("1:15", Decimal("1.25")),
        ("0:45", Decimal("0.75")),
        ("8", Decimal(8)),
        ("12", Decimal(12)),  # a number of hours: the day's limit is a rule of its own
        ("1,3", None),  # not a quarter hour
        ("1:10", None),
        ("-1", None),
        ("abc", None),
        ("1,5h", None),
        ("1:5", None),
        ("1:60", None),
        ("١", None),  # digits of another script are not hours
        ("100", None),
        ("²", None),
    ],
)
def test_hours_are_read_as_typed(text, hours):
    assert rules.parse_hours(text) == hours


@given(quarters=st.integers(min_value=0, max_value=40))
def test_every_quarter_hour_reads_back_as_written(quarters):
    value = Decimal(quarters) / 4
    assert rules.parse_hours(rules.format_hours(value)) == value
    minutes = f"{quarters // 4}:{quarters % 4 * 15:02d}"
    assert rules.parse_hours(minutes) == value


@pytest.mark.parametrize(
    ("value", "words"), [(Decimal("7.5"), "7,5"), (Decimal(8), "8"), (Decimal("0.25"), "0,25"), (Decimal(0), "0")]
)
def test_hours_read_the_swedish_way(value, words):
    assert rules.format_hours(value) == words


# --- the calendar's closed days --------------------------------------------------------------------------------


def test_weekends_holidays_and_days_outside_the_placement_are_closed():
    # December 2026: Christmas Eve, Christmas Day, Boxing Day and New Year's Eve are holidays.
    closed = rules.closed_days(
        month=YearMonth(2026, 12), starts_on=D(2026, 12, 3), ends_on=D(2027, 6, 2), interrupts_on=D(2026, 12, 30)
    )
    assert closed[D(2026, 12, 1)] == Closed.BEFORE_START
    assert closed[D(2026, 12, 2)] == Closed.BEFORE_START
    assert D(2026, 12, 3) not in closed  # the first day, a Thursday
    assert closed[D(2026, 12, 5)] == Closed.WEEKEND
    assert closed[D(2026, 12, 24)] == Closed.HOLIDAY
    assert closed[D(2026, 12, 25)] == Closed.HOLIDAY
    assert D(2026, 12, 29) not in closed
    assert closed[D(2026, 12, 30)] == Closed.INTERRUPTED  # from the interruption on
    assert closed[D(2026, 12, 31)] == Closed.INTERRUPTED


def test_days_after_the_end_are_closed():
    closed = rules.closed_days(
        month=YearMonth(2027, 6), starts_on=D(2026, 12, 3), ends_on=D(2027, 6, 2), interrupts_on=None
    )
    assert D(2027, 6, 2) not in closed
    assert closed[D(2027, 6, 3)] == Closed.AFTER_END
    assert closed[D(2027, 6, 6)] == Closed.AFTER_END  # National Day, but outside the placement first


def test_an_interruption_after_the_end_closes_nothing_more():
    closed = rules.closed_days(
        month=YearMonth(2027, 6), starts_on=D(2026, 12, 3), ends_on=D(2027, 6, 2), interrupts_on=D(2027, 6, 20)
    )
    assert D(2027, 6, 1) not in closed


# --- the monthly report ----------------------------------------------------------------------------------------

NOV = YearMonth(2026, 11)
NOV_CLOSED = rules.closed_days(
    month=NOV, starts_on=D(2026, 11, 3), ends_on=D(2027, 5, 2), interrupts_on=D(2026, 11, 25)
)


@pytest.mark.parametrize(
    ("hours", "problems"),
    [
        ({}, []),  # zero hours is a valid report
        ({D(2026, 11, 4): {"a": Decimal(8)}}, []),
        ({D(2026, 11, 4): {"a": Decimal(5), "b": Decimal(3)}}, []),  # several activities a day
        ({D(2026, 11, 4): {"a": Decimal(5), "b": Decimal("3.25")}}, ["day-2026-11-04:day_over_max"]),
        ({D(2026, 11, 4): {"a": Decimal(9)}}, ["day-2026-11-04:day_over_max"]),
        ({D(2026, 11, 7): {"a": Decimal(1)}}, ["day-2026-11-07:closed_day"]),  # Saturday
        ({D(2026, 11, 2): {"a": Decimal(1)}}, ["day-2026-11-02:closed_day"]),  # before the start
        ({D(2026, 11, 25): {"a": Decimal(1)}}, ["day-2026-11-25:closed_day"]),  # the interruption's day
        ({D(2026, 11, 4): {"x": Decimal(1)}}, ["hours-x-2026-11-04:unknown_activity"]),
        ({D(2026, 11, 4): {"a": Decimal("0.1")}}, ["hours-a-2026-11-04:invalid_hours"]),
        ({D(2026, 12, 1): {"a": Decimal(1)}}, ["day-2026-12-01:closed_day"]),  # another month
        ({D(2026, 11, 7): {"a": Decimal(0)}}, []),  # an empty cell on a closed day is no hours
    ],
)
def test_monthly_report_problems(hours, problems):
    assert (
        found(rules.monthly_report_problems(hours=hours, closed=NOV_CLOSED, month=NOV, activities=["a", "b"]))
        == problems
    )


def test_a_day_over_the_limit_says_its_total():
    (problem,) = rules.monthly_report_problems(
        hours={D(2026, 11, 4): {"a": Decimal(6), "b": Decimal(3)}}, closed={}, month=NOV, activities=["a", "b"]
    )
    assert problem.params == {"day": "2026-11-04", "total": "9", "max": "8"}


def _placements() -> st.SearchStrategy[tuple[YearMonth, D, D, D | None]]:
    """A month, and a placement that runs in or around it, perhaps interrupted."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[YearMonth, D, D, D | None]:
        month = YearMonth(draw(st.integers(2025, 2028)), draw(st.integers(1, 12)))
        starts_on = month.first_day + datetime.timedelta(days=draw(st.integers(-200, 40)))
        ends_on = starts_on + datetime.timedelta(days=draw(st.integers(0, 200)))
        interrupts_on = draw(
            st.one_of(st.none(), st.builds(lambda n: starts_on + datetime.timedelta(days=n), st.integers(0, 220)))
        )
        return month, starts_on, ends_on, interrupts_on

    return build()


QUARTERS = st.integers(min_value=0, max_value=48).map(lambda q: Decimal(q) / 4)
ACTIVITIES = ["matchning", "jobbsokning", "eget_arbete"]


@settings(max_examples=300, deadline=None)
@given(placement=_placements(), data=st.data())
def test_no_accepted_report_has_hours_on_a_closed_day_or_over_eight_a_day(placement, data):
    month, starts_on, ends_on, interrupts_on = placement
    closed = rules.closed_days(month=month, starts_on=starts_on, ends_on=ends_on, interrupts_on=interrupts_on)
    days = st.sampled_from([*month.days(), month.last_day + datetime.timedelta(days=1)])
    hours = data.draw(
        st.dictionaries(days, st.dictionaries(st.sampled_from(ACTIVITIES), QUARTERS, max_size=3), max_size=12)
    )
    problems = rules.monthly_report_problems(hours=hours, closed=closed, month=month, activities=ACTIVITIES)
    if problems:
        return
    last_day = min(ends_on, interrupts_on - datetime.timedelta(days=1)) if interrupts_on else ends_on
    for day, by_activity in hours.items():
        if not any(by_activity.values()):
            continue
        assert YearMonth.of(day) == month
        assert day.weekday() < 5
        assert is_working_day(day)  # no public holiday
        assert starts_on <= day <= last_day  # inside the placement, and before any interruption
        assert sum(by_activity.values()) <= 8


@settings(max_examples=300, deadline=None)
@given(placement=_placements(), data=st.data())
def test_every_honest_report_is_accepted(placement, data):
    month, starts_on, ends_on, interrupts_on = placement
    closed = rules.closed_days(month=month, starts_on=starts_on, ends_on=ends_on, interrupts_on=interrupts_on)
    open_days = [day for day in month.days() if day not in closed]
    hours = {}
    for day in data.draw(st.lists(st.sampled_from(open_days), unique=True)) if open_days else []:
        budget = data.draw(st.integers(0, 32))  # quarter hours for the day, at most eight hours
        chosen = data.draw(st.lists(st.sampled_from(ACTIVITIES), min_size=1, max_size=3, unique=True))
        split = sorted(data.draw(st.lists(st.integers(0, budget), min_size=len(chosen) - 1, max_size=len(chosen) - 1)))
        bounds = [0, *split, budget]
        hours[day] = {code: Decimal(bounds[i + 1] - bounds[i]) / 4 for i, code in enumerate(chosen)}
    assert rules.monthly_report_problems(hours=hours, closed=closed, month=month, activities=ACTIVITIES) == []


@pytest.mark.parametrize(
    ("month", "last_day", "today", "submittable"),
    [
        (NOV, D(2027, 5, 2), D(2026, 11, 30), False),  # the month's last day: not yet
        (NOV, D(2027, 5, 2), D(2026, 12, 1), True),  # the month is over
        (NOV, D(2026, 11, 20), D(2026, 11, 21), True),  # the placement is over (interrupted from the 21st)
        (NOV, D(2026, 11, 20), D(2026, 11, 20), False),  # its last day
    ],
)
def test_a_month_is_submitted_once_it_or_the_placement_is_over(month, last_day, today, submittable):
    assert rules.monthly_submittable(month=month, last_day=last_day, today=today) is submittable


def test_the_months_due_are_those_over_while_the_placement_ran():
    due = rules.report_due_months(first_day=D(2026, 9, 15), last_day=D(2027, 3, 14), today=D(2026, 12, 3))
    assert due == [YearMonth(2026, 9), YearMonth(2026, 10), YearMonth(2026, 11)]
    assert rules.report_due_months(first_day=D(2026, 9, 15), last_day=D(2026, 9, 14), today=D(2026, 12, 3)) == []


def test_the_plan_is_due_five_working_days_after_the_start():
    assert rules.plan_deadline(D(2026, 12, 21)) == D(2026, 12, 30)  # over Christmas: the 24th–26th are holidays
    assert rules.plan_deadline(D(2026, 12, 7)) == D(2026, 12, 14)


# --- the joint plan --------------------------------------------------------------------------------------------

CATALOGUE = [
    CatalogueActivity("matchning", "Matchning mot arbete", True),
    CatalogueActivity("jobbsokning", "Stöd i jobbsökande", True),
    CatalogueActivity("digital", "Digital kompetens", False),
]


def item(**changes):
    values = {
        "activity": "digital",
        "day": D(2026, 12, 8),
        "starts_at": datetime.time(9),
        "ends_at": datetime.time(11),
        "place": "Kontoret",
        "provider": "provider",
    }
    return ScheduleItem(**{**values, **changes})


def plan(**changes):
    values = {
        "activities": ["matchning", "jobbsokning", "digital"],
        "catalogue": CATALOGUE,
        "weeks": 2,
        "schedule": [item()],
        "together": True,
        "planned_on": D(2026, 12, 3),
        "first_day": D(2026, 12, 1),
        "last_day": D(2027, 5, 31),
    }
    return found(rules.plan_problems(**{**values, **changes}))


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"activities": ["jobbsokning", "digital"]}, ["activities:mandatory_missing"]),
        (
            {"activities": ["matchning", "jobbsokning"], "schedule": [item(activity="matchning")]},
            ["activities:no_optional_activity"],
        ),
        ({"activities": ["matchning", "jobbsokning", "digital", "gone"]}, ["activities:unknown_activity"]),
        ({"schedule": []}, ["schedule:no_schedule"]),
        (
            {"schedule": [item(day=D(2026, 12, 17))]},
            ["schedule-0-day:schedule_outside_weeks"],
        ),  # two weeks: to the 16th
        ({"schedule": [item(day=D(2026, 12, 17))], "weeks": 3}, []),
        ({"schedule": [item(day=D(2026, 12, 2))]}, ["schedule-0-day:schedule_outside_weeks"]),  # before the plan
        ({"schedule": [item()], "first_day": D(2026, 12, 9)}, ["schedule-0-day:schedule_outside_placement"]),
        ({"schedule": [item(activity="vagledning")]}, ["schedule-0-activity:schedule_activity_not_in_plan"]),
        ({"schedule": [item(ends_at=datetime.time(9))]}, ["schedule-0-ends_at:ends_before_start"]),
        ({"schedule": [item(ends_at=None)]}, []),
        ({"schedule": [item(provider="other")]}, ["schedule-0-provider_name:provider_name_missing"]),
        ({"schedule": [item(provider="other", provider_name="Kommunen")]}, []),
        ({"together": False}, ["together:not_together"]),
    ],
)
def test_plan_problems(changes, problems):
    assert plan(**changes) == problems


def test_a_missing_mandatory_activity_is_named():
    (problem,) = rules.plan_problems(
        activities=["jobbsokning", "digital"],
        catalogue=CATALOGUE,
        weeks=2,
        schedule=[item()],
        together=True,
        planned_on=D(2026, 12, 3),
        first_day=D(2026, 12, 1),
        last_day=D(2027, 5, 31),
    )
    assert problem.code == Code.MANDATORY_MISSING
    assert problem.params == {"activities": "Matchning mot arbete"}


# --- what must not be in a free text -----------------------------------------------------------------------------

TERMS = [("sjuk", "health"), ("religion", "religion")]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Deltagaren har sökt sex jobb.", []),
        ("Deltagaren var sjukskriven två dagar.", ["health"]),  # a term matches the start of a word
        ("Sjukdom hindrade", ["health"]),  # whatever the case
        ("Osjukt", []),  # only the start of a word
        ("Hans personnummer är 19900412-1236.", []),  # not a valid personnummer: no warning
        ("Hans personnummer är 19850615-1235, se bifogat.", ["personnummer"]),
        ("pnr 8506151235", ["personnummer"]),
        ("Religionen spelar roll", ["religion"]),
        ("Ordernummer 2026-1234-5678", []),
    ],
)
def test_free_text_findings(text, kinds):
    findings = rules.free_text_findings([("notes", text)], TERMS, today=D(2026, 12, 3))
    assert [finding.kind for finding in findings] == kinds


def test_a_finding_says_where_and_never_repeats_the_personnummer():
    (finding,) = rules.free_text_findings(
        [("other_info", "Kontaktade 19850615-1235 om intervjun")], [], today=D(2026, 12, 3)
    )
    assert finding.field == "other_info"
    assert "19850615" not in finding.excerpt
    assert finding.excerpt.startswith("Kontaktade")
