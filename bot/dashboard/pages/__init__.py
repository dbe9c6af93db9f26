"""The pages of a scope, one module each, and the routes that reach them (under ``/s/{scope}/``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.dashboard.page import Page
from bot.dashboard.pages.exports import exports, progress_csv, questions_csv
from bot.dashboard.pages.learners import learner, learner_list
from bot.dashboard.pages.lessons import funnel, lesson_list
from bot.dashboard.pages.overview import overview
from bot.dashboard.pages.preview import preview, preview_posted
from bot.dashboard.pages.questions import questions
from bot.dashboard.pages.reviews import moderate, reviews

ROUTES: tuple[tuple[str, str, Callable[[Page], Awaitable[web.StreamResponse]]], ...] = (
    ("get", "", overview),
    ("get", "lessons", lesson_list),
    ("get", "lessons/{lesson}", funnel),
    ("get", "questions", questions),
    ("get", "reviews", reviews),
    ("post", "reviews/{review}", moderate),
    ("get", "learners", learner_list),
    ("get", "learners/{learner}", learner),
    ("get", "preview", preview),
    ("post", "preview", preview_posted),
    ("get", "exports", exports),
    ("get", "exports/progress.csv", progress_csv),
    ("get", "exports/questions.csv", questions_csv),
)
"""(method, path under the scope, handler) of every page; a test asks each of them across scopes."""
