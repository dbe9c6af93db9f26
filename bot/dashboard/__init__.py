"""The web dashboard for course admins: server-rendered pages over the store's read model.

An admin signs in with a one-time link from chat (``/admin dashboard``); the session it opens sees one
scope (a server's learners, or everyone's for lesson admins). Pages are Jinja2 templates rendered on the
server, charts are SVG made here, and the only script is none: forms post back. ``build_dashboard`` makes
the aiohttp application; the composition root serves it next to the chat front ends (``tutor serve``) or
alone (``tutor dashboard``).
"""
