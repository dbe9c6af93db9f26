"""The small interfaces the tutor core talks through, and the records that cross them.

The core never imports a database, chat or torch library, nor reads lesson files: the store, the catalog
and the sandbox are passed in as objects satisfying these protocols (the real ones from the composition
root; tests use the real SQL store on SQLite and a scripted sandbox).
"""

from bot.core.ports.catalog import CatalogSource
from bot.core.ports.records import (
    Account,
    Learner,
    LessonCount,
    LinkCode,
    MissedQuestion,
    PlatformUser,
    Progress,
    QuizAttempt,
    RunRecord,
    ServerSettings,
    ServerStats,
    Submission,
    UploadedLesson,
)
from bot.core.ports.store import (
    Learners,
    Links,
    Polls,
    ProgressRecords,
    Runs,
    Servers,
    Store,
    StoreSession,
    Uploads,
)

__all__ = [
    "Account",
    "CatalogSource",
    "Learner",
    "Learners",
    "LessonCount",
    "LinkCode",
    "Links",
    "MissedQuestion",
    "PlatformUser",
    "Polls",
    "Progress",
    "ProgressRecords",
    "QuizAttempt",
    "RunRecord",
    "Runs",
    "ServerSettings",
    "ServerStats",
    "Servers",
    "Store",
    "StoreSession",
    "Submission",
    "UploadedLesson",
    "Uploads",
]
