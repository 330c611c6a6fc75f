"""The pure rules of Documents II (SPEC S5.2, S5.3, S5.5–S5.8): tables of cases, and properties where there are
dates and times (every accepted part-day absence lies inside the planned time).
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faportal.documents import rules, ssyk

D = datetime.date
T = datetime.time
FIRST, LAST, TODAY = D(2026, 3, 2), D(2026, 8, 31), D(2026, 5, 20)


def found(problems):
    return [f"{problem.field}:{problem.code}" for problem in problems]


# --- absence (S5.2) ----------------------------------------------------------------------------------------------


def absence(**changes):
    values = {
        "reason": "illness",
        "other_reason": "",
        "comment": "",
        "day": D(2026, 5, 18),
        "first_day": FIRST,
        "last_day": LAST,
        "today": TODAY,
        "part_of_day": False,
    }
    values.update(changes)
    return found(rules.absence_problems(**values))


PART = {"part_of_day": True, "planned_from": T(9), "planned_to": T(15)}


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"reason": "unknown"}, []),
        ({"reason": ""}, ["reason:required"]),
        ({"reason": "holiday"}, ["reason:invalid_choice"]),
        ({"reason": "other_known"}, ["other_reason:required"]),
        ({"reason": "other_known", "other_reason": "doctor"}, []),
        ({"reason": "other_known", "other_reason": "other"}, ["comment:text_required"]),
        ({"reason": "other_known", "other_reason": "other", "comment": "Flytt"}, []),
        ({"reason": "illness", "other_reason": "bogus"}, []),  # the sub-list belongs to "another known reason"
        ({"day": TODAY}, []),
        ({"day": TODAY + datetime.timedelta(days=1)}, ["day:date_in_future"]),
        ({"day": FIRST - datetime.timedelta(days=1)}, ["day:date_outside_placement"]),
        ({"day": FIRST}, []),
        ({"day": None}, []),  # unreadable: said at the field already
        ({**PART, "absent_from": T(9), "absent_to": T(12)}, []),
        ({**PART, "absent_from": T(9), "absent_to": T(15)}, []),  # the whole planned time is still part of a day
        ({**PART, "absent_from": T(8), "absent_to": T(12)}, ["absent_from:absence_outside_planned"]),
        ({**PART, "absent_from": T(13), "absent_to": T(16)}, ["absent_to:absence_outside_planned"]),
        ({**PART, "absent_from": T(12), "absent_to": T(11)}, ["absent_to:ends_before_start"]),
        ({**PART, "planned_to": T(8), "absent_from": T(9), "absent_to": T(10)}, ["planned_to:ends_before_start"]),
        ({**PART, "absent_from": None, "absent_to": T(10)}, []),  # unreadable: said at the field already
        ({"part_of_day": False, "absent_from": T(20), "absent_to": T(1)}, []),  # a whole day has no times
    ],
)
def test_absence_problems(changes, problems):
    assert absence(**changes) == problems


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(planned_from=times, planned_to=times, absent_from=times, absent_to=times)
def test_every_accepted_part_day_absence_lies_inside_the_planned_time(planned_from, planned_to, absent_from, absent_to):
    problems = rules.absence_problems(
        reason="illness",
        other_reason="",
        comment="",
        day=TODAY,
        first_day=FIRST,
        last_day=LAST,
        today=TODAY,
        part_of_day=True,
        planned_from=planned_from,
        planned_to=planned_to,
        absent_from=absent_from,
        absent_to=absent_to,
    )
    if not problems:
        assert planned_from <= absent_from < absent_to <= planned_to
    else:
        assert not (planned_from <= absent_from < absent_to <= planned_to and planned_from < planned_to)


@given(day=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)))
def test_an_accepted_absence_day_is_never_in_the_future_and_always_while_the_placement_ran(day):
    if not absence(day=day):
        assert FIRST <= day <= min(LAST, TODAY)


# --- deviation (S5.3) ---------------------------------------------------------------------------------------------


def deviation(reason, **texts):
    return found(
        rules.deviation_problems(
            reason=reason, texts=texts, day=D(2026, 5, 4), first_day=FIRST, last_day=LAST, today=TODAY
        )
    )


@pytest.mark.parametrize(
    ("reason", "texts", "problems"),
    [
        ("declined_job", {"which": "Lagerjobb", "stated_reason": "För långt bort"}, []),
        ("declined_job", {"which": "Lagerjobb"}, ["stated_reason:text_required"]),
        ("declined_activity", {"stated_reason": "Ville inte"}, ["which:text_required"]),
        ("cannot_benefit", {"problem": "Förstår inte upplägget", "support": "Tolk bokad"}, []),
        ("cannot_benefit", {"problem": "  "}, ["problem:text_required", "support:text_required"]),
        ("misconduct", {"conduct": "Störde gruppen", "support": "Samtal"}, []),
        ("misconduct", {"which": "Lagerjobb"}, ["conduct:text_required", "support:text_required"]),
        ("prevented_job", {"which": "Butiksjobb", "conduct": "Kom inte till intervjun"}, []),
        ("prevented_job", {}, ["which:text_required", "conduct:text_required"]),
        ("", {}, ["reason:required"]),
        ("was_late", {}, ["reason:invalid_choice"]),
    ],
)
def test_deviation_problems(reason, texts, problems):
    assert deviation(reason, **texts) == problems


def test_a_deviation_is_not_in_the_future():
    problems = rules.deviation_problems(
        reason="misconduct", texts={"conduct": "x", "support": "y"}, day=TODAY + datetime.timedelta(days=1),
        first_day=FIRST, last_day=LAST, today=TODAY,
    )  # fmt: skip
    assert found(problems) == ["day:date_in_future"]


# --- contact details (S5.5) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phone", "email", "problems"),
    [
        ("Hanna Handledare", "08-123 456 78", "", []),
        ("Hanna Handledare", "", "hanna@example.se", []),
        ("Hanna Handledare", "+46 70 123 45 67", "hanna@example.se", []),
        ("", "08-123 456 78", "", ["contact_name:required"]),
        ("Hanna", "", "", ["contact_phone:contact_missing"]),
        ("Hanna", "ring mig", "", ["contact_phone:invalid_phone"]),
        ("Hanna", "", "hanna(at)example.se", ["contact_email:invalid_email"]),
    ],
)
def test_contact_problems(name, phone, email, problems):
    assert found(rules.contact_problems(name=name, phone=phone, email=email)) == problems


# --- signal (S5.6) ------------------------------------------------------------------------------------------------


def signal(**changes):
    values = {
        "what": "work",
        "full_time": True,
        "percent": None,
        "day": D(2026, 6, 1),
        "applied": False,
        "first_day": FIRST,
        "today": TODAY,
        "result_submitted": False,
    }
    values.update(changes)
    return found(rules.signal_problems(**values))


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),  # work that starts after today: a signal is a heads-up
        ({"what": "studies", "full_time": False, "percent": 50}, []),
        ({"full_time": False, "percent": None}, ["percent:invalid_percent"]),
        ({"full_time": False, "percent": 0}, ["percent:invalid_percent"]),
        ({"full_time": False, "percent": 100}, ["percent:invalid_percent"]),
        ({"full_time": False, "percent": 99}, []),
        ({"what": ""}, ["what:required"]),
        ({"what": "vacation"}, ["what:invalid_choice"]),
        ({"day": D(2026, 1, 10)}, ["day:date_before_placement"]),
        ({"what": "studies", "applied": True, "day": D(2026, 5, 2)}, []),
        ({"what": "studies", "applied": True, "day": D(2026, 9, 1)}, ["day:date_in_future"]),  # applied later?
        ({"result_submitted": True}, [":result_exists"]),
    ],
)
def test_signal_problems(changes, problems):
    assert signal(**changes) == problems


# --- result reports (S5.7) ----------------------------------------------------------------------------------------


def result(**changes):
    values = {
        "number": 1,
        "what": "work",
        "full_time": True,
        "percent": None,
        "starts_on": D(2026, 5, 4),
        "ends_on": None,
        "first_day": FIRST,
        "evidence": 1,
        "result_1_approved": False,
    }
    values.update(changes)
    return found(rules.result_problems(**values))


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"ends_on": D(2026, 11, 30)}, []),
        ({"ends_on": D(2026, 5, 3)}, ["ends_on:ends_before_start"]),
        ({"starts_on": D(2026, 3, 1)}, ["starts_on:date_before_placement"]),
        ({"evidence": 0}, ["evidence:evidence_missing"]),
        ({"evidence": 6}, ["evidence:evidence_too_many"]),
        ({"number": 2}, [":result_1_not_approved"]),
        ({"number": 2, "result_1_approved": True}, []),
        ({"full_time": False, "percent": 75}, []),
        ({"full_time": False, "percent": 150}, ["percent:invalid_percent"]),
        ({"what": ""}, ["what:required"]),
    ],
)
def test_result_problems(changes, problems):
    assert result(**changes) == problems


@pytest.mark.parametrize(
    ("typed", "number", "problems"),
    [
        ("556677-8899", "5566778899", []),
        ("5566778899", "5566778899", []),
        ("16 556677-8899", "5566778899", []),
        ("0000000000", "0000000000", []),  # a sole trader or an employer abroad
        ("000000-0000", "0000000000", []),
        ("556677-8890", "", ["organisationsnummer:checksum"]),
        ("55667788", "", ["organisationsnummer:format"]),
        ("", "", ["organisationsnummer:required"]),
    ],
)
def test_the_employers_organisationsnummer(typed, number, problems):
    value, found_problems = rules.employer_number_problems(field="organisationsnummer", value=typed)
    assert (value, found(found_problems)) == (number, problems)


@pytest.mark.parametrize(
    ("content_type", "size", "attached", "problems"),
    [
        ("application/pdf", 1000, 0, []),
        ("image/jpeg", rules.EVIDENCE_MAX_BYTES, 4, []),
        ("image/png", rules.EVIDENCE_MAX_BYTES + 1, 0, ["evidence:evidence_too_large"]),
        ("image/png", 1000, 5, ["evidence:evidence_too_many"]),
        ("application/x-msdownload", 1000, 0, ["evidence:evidence_type"]),
        ("image/gif", 1000, 0, ["evidence:evidence_type"]),
        (None, 1000, 0, ["evidence:evidence_type"]),
        ("application/pdf", 0, 0, ["evidence:evidence_type"]),
    ],
)
def test_evidence_problems(content_type, size, attached, problems):
    got = rules.evidence_problems(content_type=content_type, size=size, attached=attached, name="fil")
    assert found(got) == problems


# --- final report (S5.8) ------------------------------------------------------------------------------------------


CHOICES = {
    "employment": ("work", {"permanent", "fixed_term"}),
    "level": ("education", {"university"}),
    "length": ("education", {"long"}),
    "seeking_reason": ("seeking", {"no_match_yet", "other"}),
}
DONE = {"done-matchning": "Sökte jobb", "progress": "Bra", "next_step": "Arbete"}


AUGUST = D(2026, 8, 3)


def final(occupation, *, today=AUGUST, first_day=FIRST, last_day=LAST, activities=("matchning",), **texts):
    area = texts.pop("area", "")
    group = texts.pop("group", "")
    full_time = texts.pop("full_time", True)
    percent = texts.pop("percent", None)
    return found(
        rules.final_report_problems(
            occupation=occupation,
            area=area,
            group=group,
            groups=ssyk.group_areas(),
            choices=CHOICES,
            full_time=full_time,
            percent=percent,
            texts={**DONE, **texts},
            activities=list(activities),
            first_day=first_day,
            last_day=last_day,
            today=today,
        )
    )


@pytest.mark.parametrize(
    ("occupation", "texts", "problems"),
    [
        ("work", {"area": "4", "group": "4322", "employment": "permanent"}, []),
        ("work", {"area": "5", "group": "4322", "employment": "permanent"}, ["group:unknown_occupation"]),
        ("work", {"area": "4", "group": "9999", "employment": "permanent"}, ["group:unknown_occupation"]),
        ("work", {"area": "4", "employment": "permanent"}, ["group:required"]),
        ("work", {"group": "4322", "employment": "permanent"}, ["area:required"]),
        ("work", {"area": "4", "group": "4322"}, ["employment:required"]),
        ("work", {"area": "4", "group": "4322", "employment": "slave"}, ["employment:invalid_choice"]),
        (
            "work",
            {"area": "4", "group": "4322", "employment": "fixed_term", "full_time": False, "percent": 60},
            [],
        ),
        ("education", {"level": "university", "length": "long", "direction": "Sjuksköterska"}, []),
        ("education", {"level": "university", "length": "long"}, ["direction:text_required"]),
        ("education", {"direction": "x"}, ["level:required", "length:required"]),
        ("seeking", {"seeking_reason": "no_match_yet"}, []),
        ("seeking", {"seeking_reason": "other"}, ["seeking_other:text_required"]),
        ("seeking", {"seeking_reason": "other", "seeking_other": "Flyttar"}, []),
        ("other", {}, ["occupation_other:text_required"]),
        ("other", {"occupation_other": "Föräldraledig"}, []),
        ("", {}, ["occupation:required"]),
        ("other", {"occupation_other": "x", "done-matchning": ""}, ["done-matchning:text_required"]),
        ("other", {"occupation_other": "x", "progress": " ", "next_step": ""}, [
            "progress:text_required", "next_step:text_required",
        ]),
    ],
)  # fmt: skip
def test_final_report_problems(occupation, texts, problems):
    assert final(occupation, **texts) == problems


def test_the_final_report_opens_in_the_last_month_or_the_last_before_an_interruption():
    assert rules.final_report_from(first_day=FIRST, last_day=LAST) == D(2026, 8, 1)
    assert rules.final_report_from(first_day=FIRST, last_day=D(2026, 5, 19)) == D(2026, 5, 1)
    assert rules.final_report_from(first_day=D(2026, 5, 12), last_day=D(2026, 5, 19)) == D(2026, 5, 12)
    assert final("other", occupation_other="x", today=D(2026, 7, 31)) == [":final_not_yet"]
    assert final("other", occupation_other="x", today=D(2026, 8, 1)) == []
    assert final("other", occupation_other="x", today=D(2027, 1, 1)) == []  # long after the end, still possible


@given(
    first_day=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 1, 1)),
    length=st.integers(min_value=0, max_value=200),
    today_offset=st.integers(min_value=-30, max_value=400),
)
def test_a_final_report_is_never_accepted_before_the_placements_last_month(first_day, length, today_offset):
    last_day = first_day + datetime.timedelta(days=length)
    today = first_day + datetime.timedelta(days=today_offset)
    problems = final("other", occupation_other="x", today=today, first_day=first_day, last_day=last_day)
    if not problems:
        assert today >= max(first_day, last_day.replace(day=1))


def test_ssyk_2012_is_complete_and_each_group_has_one_area():
    assert ssyk.VERSION == "SSYK 2012"
    areas = ssyk.areas()
    assert [area.code for area in areas] == [str(n) for n in range(10)]
    assert sum(len(main.groups) for area in areas for main in area.main_groups) == 429
    assert sum(len(area.main_groups) for area in areas) == 46
    assert ssyk.names()["4322"] == "Lager- och terminalpersonal"
    assert ssyk.group_areas()["4322"] == "4"
    assert all(code.startswith(area) for code, area in ssyk.group_areas().items())


def test_reports_can_be_written_from_the_first_day_until_a_while_after_the_last():
    assert not rules.reports_open(first_day=FIRST, last_day=LAST, today=FIRST - datetime.timedelta(days=1))
    assert rules.reports_open(first_day=FIRST, last_day=LAST, today=FIRST)
    after = LAST + datetime.timedelta(days=rules.REPORTS_AFTER_END_DAYS)
    assert rules.reports_open(first_day=FIRST, last_day=LAST, today=after)
    assert not rules.reports_open(first_day=FIRST, last_day=LAST, today=after + datetime.timedelta(days=1))
    assert not rules.reports_open(first_day=FIRST, last_day=FIRST - datetime.timedelta(days=1), today=FIRST)
