"""`StoreSession` over one SQLAlchemy `AsyncSession`: one repository per area, one transaction for all."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.repositories.activity import SqlActivity
from bot.store.repositories.course import SqlCourse
from bot.store.repositories.dashboard import SqlDashboardAccess
from bot.store.repositories.insights import SqlInsights
from bot.store.repositories.learners import SqlLearners
from bot.store.repositories.links import SqlLinks
from bot.store.repositories.notebooks import SqlNotebooks
from bot.store.repositories.polls import SqlPolls
from bot.store.repositories.practice import SqlPractice
from bot.store.repositories.progress import SqlProgress
from bot.store.repositories.reminders import SqlReminders
from bot.store.repositories.reviews import SqlReviews
from bot.store.repositories.runs import SqlRuns
from bot.store.repositories.servers import SqlServers
from bot.store.repositories.uploads import SqlUploads


class SqlStoreSession:
    """The store as one transaction sees it; the areas share the session (never shared between tasks)."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._learners = SqlLearners(session, dialect)
        self._progress = SqlProgress(session, dialect)
        self._runs = SqlRuns(session, dialect)
        self._servers = SqlServers(session, dialect)
        self._links = SqlLinks(session, dialect)
        self._uploads = SqlUploads(session, dialect)
        self._dashboard = SqlDashboardAccess(session, dialect)
        self._insights = SqlInsights(session, dialect)
        self._notebooks = SqlNotebooks(session, dialect)
        self._reviews = SqlReviews(session, dialect)
        self._course = SqlCourse(session, dialect)
        self._practice = SqlPractice(session, dialect)
        self._activity = SqlActivity(session, dialect)
        self._reminders = SqlReminders(session, dialect)
        self._polls = SqlPolls(session, dialect)

    @property
    def learners(self) -> SqlLearners:
        """Learners and accounts."""
        return self._learners

    @property
    def progress(self) -> SqlProgress:
        """Progress, answers, submissions and hints."""
        return self._progress

    @property
    def runs(self) -> SqlRuns:
        """Sandbox runs and run claims."""
        return self._runs

    @property
    def servers(self) -> SqlServers:
        """Server settings, members and statistics."""
        return self._servers

    @property
    def links(self) -> SqlLinks:
        """Link codes, merges and detaching."""
        return self._links

    @property
    def uploads(self) -> SqlUploads:
        """Uploaded lessons."""
        return self._uploads

    @property
    def dashboard(self) -> SqlDashboardAccess:
        """Dashboard login links, sessions and signing key."""
        return self._dashboard

    @property
    def insights(self) -> SqlInsights:
        """What course admins look at on the dashboard, within a scope."""
        return self._insights

    @property
    def notebooks(self) -> SqlNotebooks:
        """Learners' notebook cells."""
        return self._notebooks

    @property
    def reviews(self) -> SqlReviews:
        """Ratings and reviews of lessons."""
        return self._reviews

    @property
    def course(self) -> SqlCourse:
        """The course card's counts."""
        return self._course

    @property
    def practice(self) -> SqlPractice:
        """Practice decks of missed questions."""
        return self._practice

    @property
    def activity(self) -> SqlActivity:
        """Active days, points and leaderboards."""
        return self._activity

    @property
    def reminders(self) -> SqlReminders:
        """Time zones and daily reminders."""
        return self._reminders

    @property
    def polls(self) -> SqlPolls:
        """Quiz polls sent, for their answers."""
        return self._polls
