"""Placement rules (SPEC S4): dates of a period, deadlines, what decisions may say."""

import datetime

import pytest

from faportal.placements import rules

D = datetime.date


@pytest.mark.parametrize(
    ("decided", "earliest"),
    [
        (D(2026, 11, 24), D(2026, 12, 8)),  # Tuesday + 10 working days
        (D(2026, 12, 18), D(2027, 1, 8)),  # over Christmas, New Year and Epiphany
        (D(2027, 3, 19), D(2027, 4, 6)),  # over Easter 2027 (Good Friday 26/3, Easter Monday 29/3)
    ],
)
def test_the_service_starts_at_the_earliest_ten_working_days_after_the_decision(decided, earliest):
    assert rules.earliest_start(decided) == earliest


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(2026, 12, 8), D(2027, 6, 7)), (D(2027, 8, 31), D(2028, 2, 28)), (D(2027, 1, 1), D(2027, 6, 30))],
)
def test_a_period_is_six_months(start, end):
    assert rules.period_end(start) == end


def found(problems):
    """Each problem as "field:code"."""
    return [f"{problem.field}:{problem.code}" for problem in problems]


def test_a_start_too_early_names_the_earliest_start():
    (problem,) = rules.first_period_problems(
        decided_on=D(2026, 11, 24), starts_on=D(2026, 12, 7), today=D(2026, 11, 24)
    )
    assert problem.params == {"date": "2026-12-08"}


def test_period_two_follows_without_a_gap():
    second = rules.second_period_dates(rules.PeriodDates(D(2026, 12, 8), D(2027, 6, 7)))
    assert second == rules.PeriodDates(D(2027, 6, 8), D(2027, 12, 7))


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        ({"decided_on": D(2026, 11, 24), "starts_on": D(2026, 12, 8)}, []),
        ({"decided_on": D(2026, 11, 24), "starts_on": D(2026, 12, 7)}, ["starts_on:start_too_early"]),
        ({"decided_on": D(2026, 11, 25), "starts_on": D(2026, 12, 30)}, ["decided_on:decided_in_future"]),
    ],
)
def test_first_period_problems(kwargs, problems):
    assert found(rules.first_period_problems(today=D(2026, 11, 24), **kwargs)) == problems


@pytest.mark.parametrize(
    ("kwargs", "problems"),
    [
        ({}, []),
        ({"first_period": 2}, ["placement:not_first_period"]),
        ({"first_interrupted": True}, ["placement:first_period_interrupted"]),
        ({"has_second": True}, ["placement:second_period_exists"]),
        ({"first_ends_on": D(2026, 11, 23)}, []),  # period 2 starts today: no gap yet
        ({"first_ends_on": D(2026, 11, 22)}, ["placement:first_period_ended"]),  # it would start in the past
        ({"decided_on": D(2026, 11, 25)}, ["decided_on:decided_in_future"]),
    ],
)
def test_second_period_problems(kwargs, problems):
    valid = {
        "first_period": 1,
        "first_interrupted": False,
        "has_second": False,
        "first_ends_on": D(2027, 5, 31),
        "decided_on": D(2026, 11, 24),
    }
    assert found(rules.second_period_problems(today=D(2026, 11, 24), **{**valid, **kwargs})) == problems


@pytest.mark.parametrize(
    ("ends_on", "interrupted", "problems"),
    [
        (D(2026, 11, 24), False, []),  # its last day
        (D(2026, 11, 23), False, ["placement:placement_ended"]),
        (D(2027, 5, 31), True, ["placement:already_interrupted"]),
    ],
)
def test_provider_change_problems(ends_on, interrupted, problems):
    assert (
        found(rules.provider_change_problems(ends_on=ends_on, interrupted=interrupted, today=D(2026, 11, 24)))
        == problems
    )


@pytest.mark.parametrize(
    ("interrupts_on", "problems"),
    [
        (D(2026, 11, 24), []),  # today is allowed
        (D(2026, 11, 23), ["interrupts_on:interruption_in_past"]),  # never back-dated
        (D(2027, 6, 8), ["interrupts_on:interruption_after_end"]),
    ],
)
def test_an_interruption_is_today_or_later(interrupts_on, problems):
    assert (
        found(
            rules.interruption_problems(
                interrupts_on=interrupts_on, today=D(2026, 11, 24), starts_on=D(2026, 12, 8), ends_on=D(2027, 6, 7)
            )
        )
        == problems
    )


def test_a_future_interruption_can_change_until_its_day():
    assert rules.interruption_can_change(interrupts_on=D(2026, 11, 25), today=D(2026, 11, 24))
    assert not rules.interruption_can_change(interrupts_on=D(2026, 11, 24), today=D(2026, 11, 24))


def test_interrupted_before_start():
    assert rules.interrupted_before_start(interrupts_on=D(2026, 12, 8), starts_on=D(2026, 12, 8))
    assert not rules.interrupted_before_start(interrupts_on=D(2026, 12, 9), starts_on=D(2026, 12, 8))
    assert not rules.interrupted_before_start(interrupts_on=None, starts_on=D(2026, 12, 8))


@pytest.mark.parametrize(
    ("needs", "language", "missing"),
    [(True, "", True), (True, "  ", True), (True, "Arabiska", False), (False, "", False)],
)
def test_language_support_needs_a_language(needs, language, missing):
    assert rules.language_missing(needs_language_support=needs, language=language) is missing


@pytest.mark.parametrize(
    ("interrupts_on", "expected"),
    [
        (None, D(2027, 5, 31)),  # runs to its end
        (D(2027, 1, 10), D(2027, 1, 9)),  # interrupted from the 10th: the 9th is its last day
        (D(2027, 6, 1), D(2027, 5, 31)),  # an interruption after the end changes nothing
    ],
)
def test_the_last_day_a_placement_runs(interrupts_on, expected):
    assert rules.last_day(ends_on=D(2027, 5, 31), interrupts_on=interrupts_on) == expected


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (rules.Span(D(2027, 6, 1), D(2027, 11, 30)), False),  # starts the day after: no overlap
        (rules.Span(D(2027, 5, 31), D(2027, 11, 29)), True),  # shares the last day
        (rules.Span(D(2026, 6, 1), D(2026, 11, 30)), False),  # entirely before
        (rules.Span(D(2026, 6, 1), D(2027, 12, 1)), True),  # around it
    ],
)
def test_one_service_at_a_time(new, expected):
    assert rules.overlaps(new, [rules.Span(D(2026, 12, 1), D(2027, 5, 31))]) is expected


def test_contact_details_until_the_last_day():
    assert rules.contact_details_shown(last_day=D(2026, 11, 24), today=D(2026, 11, 24))
    assert not rules.contact_details_shown(last_day=D(2026, 11, 23), today=D(2026, 11, 24))


def test_a_placement_has_ended_once_its_last_day_has_passed():
    assert not rules.has_ended(last_day=D(2026, 11, 24), today=D(2026, 11, 24))
    assert rules.has_ended(last_day=D(2026, 11, 23), today=D(2026, 11, 24))
