"""Messages and Chinese help of the server-admin and upload commands, merged into the i18n tables."""

from __future__ import annotations

ADMIN_MESSAGES: dict[str, dict[str, str]] = {
    "admin.server_only": {
        "en": "This command works in a server only.",
        "zh": "这个命令只能在服务器（群组）里使用。",
    },
    "arg.needs_file": {
        "en": "Attach the file to the command. Usage: `{usage}`",
        "zh": "请把文件作为附件随命令一起发送。用法：`{usage}`",
    },
    "arg.bad_channel": {
        "en": "`{name}` should be a channel. Usage: `{usage}`",
        "zh": "`{name}` 应该是一个频道。用法：`{usage}`",
    },
    "run.channel_not_allowed": {
        "en": "Code doesn't run in this channel: this server's admins chose other channels for it.",
        "zh": "这个频道不能运行代码：服务器管理员指定了其他频道。",
    },
    "channels.all": {
        "en": "Code may run in every channel of this server.",
        "zh": "这个服务器的所有频道都可以运行代码。",
    },
    "channels.list": {"en": "Code may run in: {channels}.", "zh": "可以运行代码的频道：{channels}。"},
    "channels.added": {
        "en": "Code may now run in {channel}. Allowed channels: {channels}.",
        "zh": "{channel} 现在可以运行代码了。允许的频道：{channels}。",
    },
    "channels.removed": {
        "en": "Code no longer runs in {channel}. Allowed channels: {channels}.",
        "zh": "{channel} 不再能运行代码。允许的频道：{channels}。",
    },
    "channels.cleared": {
        "en": "Code may run in every channel of this server again.",
        "zh": "已恢复为：这个服务器的所有频道都可以运行代码。",
    },
    "channels.which": {
        "en": "Which channel? Name one, or use the command in it.",
        "zh": "哪个频道？请指定一个频道，或者在那个频道里使用这个命令。",
    },
    "sandbox.on": {
        "en": "Running code is on in this server.",
        "zh": "这个服务器已开启代码运行。",
    },
    "sandbox.off": {
        "en": "Running code is off in this server: /run, /submit and Run buttons are refused here.",
        "zh": "这个服务器已关闭代码运行：/run、/submit 和运行按钮在这里都不可用。",
    },
    "dm.on": {
        "en": "Lesson steps asked for in this server now go to the learner's direct messages.",
        "zh": "在这个服务器里请求的课程内容，现在会私信发给学习者。",
    },
    "dm.off": {
        "en": "Lesson steps asked for in this server are now shown only to the learner who asked.",
        "zh": "在这个服务器里请求的课程内容，现在只对请求的学习者本人可见。",
    },
    "stats.none": {
        "en": "Nobody has used the tutor in this server yet.",
        "zh": "这个服务器里还没有人使用过导师。",
    },
    "stats.title": {
        "en": "Learning in this server: {learners} learner(s)",
        "zh": "本服务器的学习情况：共 {learners} 位学习者",
    },
    "stats.lesson": {
        "en": "{title}: {started} started, {completed} completed",
        "zh": "{title}：{started} 人开始，{completed} 人学完",
    },
    "stats.missed_title": {"en": "Most-missed questions", "zh": "错得最多的题目"},
    "stats.missed": {
        "en": "{title} · {question}: {wrong} wrong of {answers} answers",
        "zh": "{title} · {question}：{answers} 次作答中错了 {wrong} 次",
    },
    "upload.not_yaml": {
        "en": "`{file}` isn't a lesson file: lesson files end in .yaml or .yml.",
        "zh": "`{file}` 不是课程文件：课程文件的扩展名是 .yaml 或 .yml。",
    },
    "upload.too_big": {
        "en": "That file is {size} KiB; a lesson file may be at most {limit} KiB.",
        "zh": "这个文件有 {size} KiB，课程文件最大只能是 {limit} KiB。",
    },
    "upload.not_utf8": {
        "en": "`{file}` isn't UTF-8 text. Save it as UTF-8 and upload it again.",
        "zh": "`{file}` 不是 UTF-8 文本。请以 UTF-8 编码保存后重新上传。",
    },
    "upload.invalid": {
        "en": "Nothing was installed: {count} problem(s) in `{file}`.",
        "zh": "没有安装：`{file}` 中有 {count} 个问题。",
    },
    "upload.installed": {
        "en": "Installed **{title}** (`{lesson}`) from `{file}`.",
        "zh": "已从 `{file}` 安装 **{title}**（`{lesson}`）。",
    },
    "upload.replaced": {
        "en": "Installed **{title}** (`{lesson}`) from `{file}`; it replaces the lesson with that id.",
        "zh": "已从 `{file}` 安装 **{title}**（`{lesson}`），替换了同一 ID 的课程。",
    },
    "uploads.title": {"en": "Uploaded lessons", "zh": "上传的课程"},
    "uploads.none": {"en": "No lessons have been uploaded.", "zh": "还没有上传过课程。"},
    "uploads.off": {"en": "disabled", "zh": "已停用"},
    "uploads.which": {
        "en": "Which uploaded lesson should I {action}? Add its id.",
        "zh": "要对哪一个上传的课程执行 {action}？请加上课程 ID。",
    },
    "uploads.unknown": {
        "en": "There's no uploaded lesson `{lesson}`. `/admin lessons` lists them.",
        "zh": "没有上传过 `{lesson}` 这一课。`/admin lessons` 可以列出所有上传的课程。",
    },
    "uploads.disabled": {"en": "`{lesson}` is disabled.", "zh": "`{lesson}` 已停用。"},
    "uploads.enabled": {"en": "`{lesson}` is enabled again.", "zh": "`{lesson}` 已重新启用。"},
    "uploads.removed": {"en": "`{lesson}` is removed.", "zh": "`{lesson}` 已删除。"},
    "uploads.unserved": {
        "en": "{count} problem(s) keep some uploaded lessons from being served:",
        "zh": "有 {count} 个问题导致部分上传的课程无法使用：",
    },
}

# Presentation words that front ends with rich replies (embeds, buttons) need.
PRESENTATION_MESSAGES: dict[str, dict[str, str]] = {
    "button.back": {"en": "Back", "zh": "上一步"},
    "output.stdout": {"en": "Output", "zh": "输出"},
    "output.value": {"en": "Value", "zh": "值"},
    "output.error": {"en": "Error", "zh": "错误"},
    "output.warnings": {"en": "Warnings", "zh": "警告"},
    "output.tensors": {"en": "Tensors", "zh": "张量"},
    "output.modules": {"en": "Modules", "zh": "模块"},
    "output.graph": {"en": "Autograd graph", "zh": "自动求导图"},
    "output.check_passed": {"en": "Check passed", "zh": "检查通过"},
    "output.check_failed": {"en": "Check failed", "zh": "检查未通过"},
    "output.truncated": {
        "en": "Output shortened; the full output is attached as {file}.",
        "zh": "输出太长已截断，完整内容见附件 {file}。",
    },
    "output.parameters": {"en": "{count} parameters", "zh": "{count} 个参数"},
    "dm.sent": {
        "en": "I've sent this to your direct messages.",
        "zh": "已经私信发给你了。",
    },
    "dm.closed": {
        "en": "I couldn't message you directly (your DMs are closed), so here it is, visible only to you.",
        "zh": "无法私信你（你关闭了私信），所以在这里发给你，只有你能看到。",
    },
}

ADMIN_COMMAND_HELP_ZH: dict[str, tuple[str, str]] = {
    "admin_upload": (
        "安装一个课程文件（YAML）；先检查，与现有课程 ID 相同时替换它。",
        "每个问题都以 文件:行: 说明 的形式列出，全部解决之前不会安装。",
    ),
    "admin_lessons": ("列出通过聊天上传的课程，或者停用、启用、删除其中一课。", ""),
    "admin_channels": ("选择这个服务器里可以运行代码的频道（不选则所有频道都可以）。", ""),
    "admin_sandbox": ("在这个服务器里开启或关闭代码运行（/run、/submit 和运行按钮）。", ""),
    "admin_dm": ("把这个服务器里请求的课程内容私信发给学习者（on），或只对本人可见（off）。", ""),
    "admin_stats": ("查看这个服务器学习者的情况：每课的人数和错得最多的题目。", ""),
}

ADMIN_ARG_HELP_ZH: dict[tuple[str, str], str] = {
    ("admin_upload", "file"): "课程文件（.yaml）",
    ("admin_lessons", "action"): "要做什么",
    ("admin_lessons", "lesson"): "上传的课程 ID",
    ("admin_channels", "action"): "list、add、remove 或 clear",
    ("admin_channels", "channel"): "频道（默认：当前频道）",
    ("admin_sandbox", "state"): "on 或 off",
    ("admin_dm", "state"): "on 或 off",
}
