"""Reads for the community, narrowed to what the user may see. None / empty when the user may not."""

import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from .choices import ACTIVE_DAYS, IntroductionStatus, ProjectStage
from .models import Introduction, Member, Notification, Post, PostReport, Project, ProjectStageChange, Thread, Topic
from .rules import member_of


def _may_view(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("community.view"))


def members_for(user) -> QuerySet[Member]:
    """Members the user may look up: every member for moderators, members in good standing for everyone else."""
    if not _may_view(user):
        return Member.objects.none()
    queryset = Member.objects.select_related("user", "organisation")
    if not user.has_perm("community.moderate"):
        queryset = queryset.filter(banned_at__isnull=True, user__is_active=True)
    return queryset


def member_detail_for(user, pk: int) -> Member | None:
    return members_for(user).prefetch_related("offer_challenges", "need_challenges").filter(pk=pk).first()


def topics_for(user) -> QuerySet[Topic]:
    if not _may_view(user):
        return Topic.objects.none()
    return Topic.objects.annotate(
        thread_count=Count("threads", distinct=True), last_posted_at=Max("threads__last_posted_at")
    ).order_by("order", "slug")


def topic_for(user, slug: str) -> Topic | None:
    return topics_for(user).filter(slug=slug).first()


def threads_for(user, *, topic: Topic | None = None) -> QuerySet[Thread]:
    if not _may_view(user):
        return Thread.objects.none()
    queryset = (
        Thread.objects.select_related("topic", "author__user", "author__organisation")
        .annotate(post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True)))
        .order_by("-last_posted_at", "-pk")
    )
    return queryset.filter(topic=topic) if topic is not None else queryset


def thread_for(user, pk: int) -> Thread | None:
    return threads_for(user).select_related("meetup_proposed_by__user", "event").filter(pk=pk).first()


def posts_for(user, thread: Thread) -> QuerySet[Post]:
    """The thread's posts in order; hidden ones stay in place (the template shows a placeholder)."""
    if not _may_view(user):
        return Post.objects.none()
    return (
        thread.posts.select_related("author__user", "author__organisation")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .order_by("created_at", "pk")
    )


def post_for(user, pk: int) -> Post | None:
    if not _may_view(user):
        return None
    return Post.objects.select_related("thread", "author__user").filter(pk=pk).first()


def introductions_for(user) -> QuerySet[Introduction]:
    """The introductions the user asked for or was asked for."""
    member = member_of(user)
    if member is None:
        return Introduction.objects.none()
    return Introduction.objects.filter(Q(requester=member) | Q(recipient=member)).select_related(
        "requester__user", "requester__organisation", "recipient__user", "recipient__organisation"
    )


def introduction_for(user, pk: int) -> Introduction | None:
    return introductions_for(user).filter(pk=pk).first()


def projects_for(user) -> QuerySet[Project]:
    if not _may_view(user):
        return Project.objects.none()
    return Project.objects.select_related("created_by__user").prefetch_related(
        Prefetch("participants", queryset=Member.objects.select_related("user", "organisation"))
    )


def project_for(user, pk: int) -> Project | None:
    return (
        projects_for(user)
        .prefetch_related(
            "challenges",
            Prefetch("stage_changes", queryset=ProjectStageChange.objects.select_related("changed_by")),
        )
        .filter(pk=pk)
        .first()
    )


def notifications_for(user) -> QuerySet[Notification]:
    member = member_of(user)
    if member is None:
        return Notification.objects.none()
    return member.notifications.all()


def open_reports_for(user) -> QuerySet[PostReport]:
    if not user.has_perm("community.moderate"):
        return PostReport.objects.none()
    return PostReport.objects.filter(resolved_at__isnull=True).select_related(
        "post__thread", "post__author__user", "reporter__user"
    )


def meetup_proposals_for(user) -> QuerySet[Thread]:
    if not user.has_perm("community.moderate"):
        return Thread.objects.none()
    return (
        Thread.objects.filter(meetup_proposed_at__isnull=False)
        .select_related("topic", "meetup_proposed_by__user")
        .order_by("-meetup_proposed_at", "-pk")
    )


def active_members(*, now: datetime.datetime | None = None) -> QuerySet[Member]:
    """Members in good standing who posted or signed in within the last ACTIVE_DAYS days."""
    since = (now or timezone.now()) - datetime.timedelta(days=ACTIVE_DAYS)
    return (
        Member.objects.filter(banned_at__isnull=True, user__is_active=True)
        .filter(Q(user__last_login__gte=since) | Q(posts__created_at__gte=since))
        .distinct()
    )


def community_kpis(*, now: datetime.datetime | None = None) -> dict:
    """The community's KPIs: registrants, active members, introductions, projects by stage, new businesses."""
    introductions = Introduction.objects.aggregate(
        requested=Count("pk"), accepted=Count("pk", filter=Q(status=IntroductionStatus.ACCEPTED))
    )
    stages = dict(Project.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    return {
        "registrants": Member.objects.count(),
        "active_members": active_members(now=now).count(),
        "active_days": ACTIVE_DAYS,
        "introductions_requested": introductions["requested"],
        "introductions_accepted": introductions["accepted"],
        "projects_by_stage": {stage: stages.get(stage, 0) for stage in ProjectStage.values},
        "new_businesses": stages.get(ProjectStage.LAUNCHED, 0),
    }
