"""The Discord front end: app commands built from the core's registry, replies as embeds, buttons and files.

Modules, one job each: ``sanitize`` (untrusted text made safe to show), ``split`` (messages within
Discord's limits, code fences intact), ``render`` and ``run_render`` (replies to messages), ``views``
(buttons and the code modal), ``translator`` (command localizations), ``tree`` (the command tree from
the registry), ``frontend`` (an interaction in, the tutor's replies out, one error handler), ``client``
(the bot) and ``service`` (the bot's lifetime under ``tutor serve``).
"""
