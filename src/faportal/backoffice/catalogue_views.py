"""What Af edits for the documents: the activity catalogue, the words that suggest sensitive data, and the topics of
informative reports (SPEC S5, S5.1, S5.5).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import AfRole
from faportal.access.scoping import get_visible_or_404, require_role, visible
from faportal.backoffice.review_forms import ActivityForm, InformationTopicForm, SensitiveTermForm
from faportal.core.http import posted
from faportal.core.problems import Refused
from faportal.documents import services
from faportal.documents.models import Activity, InformationTopic, SensitiveTerm


def activities(request: HttpRequest) -> HttpResponse:
    """Aktivitetskatalogen: the activities plans choose among, mandatory ones marked."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    found = visible(actor, AfRole.REVIEWER, Activity.objects.all()).order_by("-active", "own_work", "position", "name")
    return render(request, "backoffice/activities.html", {"activities": found})


@require_http_methods(["GET", "POST"])
def activity(request: HttpRequest, activity_id: int | None = None) -> HttpResponse:
    """Add an activity, or change one."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    existing = (
        get_visible_or_404(actor, AfRole.REVIEWER, Activity.objects.all(), pk=activity_id) if activity_id else None
    )
    initial = (
        {field: getattr(existing, field) for field in ("name", "description", "mandatory", "active", "position")}
        if existing
        else None
    )
    form = ActivityForm(posted(request), initial=initial, editing=existing is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = services.ActivityValues(
            name=data["name"],
            description=data["description"],
            mandatory=data["mandatory"],
            active=data["active"],
            position=data["position"],
        )
        try:
            saved = services.save_activity(
                actor=actor, code=existing.code if existing else data["code"], values=values, activity=existing
            )
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("backoffice:activities")
    return render(request, "backoffice/activity.html", {"form": form, "activity": existing})


@require_http_methods(["GET", "POST"])
def sensitive_terms(request: HttpRequest) -> HttpResponse:
    """Känsliga ord: the words that make the portal warn before a document is submitted."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    form = SensitiveTermForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            term = services.add_sensitive_term(
                actor=actor, term=form.cleaned_data["term"], category=form.cleaned_data["category"]
            )
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, _("“%(term)s” is added.") % {"term": term.term})
            return redirect("backoffice:sensitive_terms")
    terms = visible(actor, AfRole.REVIEWER, SensitiveTerm.objects.all()).order_by("category", "term")
    return render(request, "backoffice/sensitive_terms.html", {"form": form, "terms": terms})


@require_POST
def sensitive_term_toggle(request: HttpRequest, term_id: int) -> HttpResponse:
    """Stop using a word, or use it again."""
    actor = actor_of(request)
    term = get_visible_or_404(actor, AfRole.REVIEWER, SensitiveTerm.objects.all(), pk=term_id)
    services.set_sensitive_term_active(actor=actor, term=term, active=not term.active)
    words = _("“%(term)s” is in use again.") if term.active else _("“%(term)s” is no longer used.")
    messages.success(request, words % {"term": term.term})
    return redirect("backoffice:sensitive_terms")


@require_http_methods(["GET", "POST"])
def information_topics(request: HttpRequest) -> HttpResponse:
    """Ämnen för informativ rapport: what a provider can choose that an informative report concerns."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    form = InformationTopicForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.add_information_topic(actor=actor, name=form.cleaned_data["name"])
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": topic.name})
            return redirect("backoffice:information_topics")
    topics = visible(actor, AfRole.REVIEWER, InformationTopic.objects.all()).order_by("-active", "position", "name")
    return render(request, "backoffice/information_topics.html", {"form": form, "topics": topics})


@require_POST
def information_topic_toggle(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Stop offering a topic, or offer it again (reports that chose it keep it)."""
    actor = actor_of(request)
    topic = get_visible_or_404(actor, AfRole.REVIEWER, InformationTopic.objects.all(), pk=topic_id)
    services.set_information_topic_active(actor=actor, topic=topic, active=not topic.active)
    words = _("“%(name)s” is offered again.") if topic.active else _("“%(name)s” is no longer offered.")
    messages.success(request, words % {"name": topic.name})
    return redirect("backoffice:information_topics")
