"""The pages of a scope, one module each, and the routes that reach them (under ``/s/{scope}/``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.dashboard.page import Page
from bot.dashboard.pages import exports, learners, lessons, overview, preview, questions, reviews

ROUTES: tuple[tuple[str, str, Callable[[Page], Awaitable[web.StreamResponse]]], ...] = (
    ("get", "", overview.overview),
    ("get", "lessons", lessons.lesson_list),
    ("get", "lessons/{lesson}", lessons.funnel),
    ("get", "questions", questions.questions),
    ("get", "reviews", reviews.reviews),
    ("post", "reviews/{review}", reviews.moderate),
    ("get", "learners", learners.learner_list),
    ("get", "learners/{learner}", learners.learner),
    ("get", "preview", preview.preview),
    ("post", "preview", preview.preview_posted),
    ("get", "exports", exports.exports),
    ("get", "exports/progress.csv", exports.progress_csv),
    ("get", "exports/questions.csv", exports.questions_csv),
)
"""(method, path under the scope, handler) of every page; a test asks each of them across scopes."""
