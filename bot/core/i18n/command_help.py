"""Chinese help for the commands; the English help is each command function's docstring."""

from __future__ import annotations

# Keyed by the command's flat name (``admin_reload``).
COMMAND_HELP_ZH: dict[str, tuple[str, str]] = {
    "start": ("认识一下导师，看看从哪里开始。", ""),
    "help": ("列出所有命令，或查看某个命令的说明：/help run。", ""),
    "about": ("介绍 Torch Tutor：版本、源代码地址和课程来源。", ""),
    "lessons": ("按章节列出所有课程，以及你在每一课的进度。", ""),
    "lesson": (
        "开始或继续学习一课：/lesson tensor-basics。",
        "不带课程 ID 时，显示你在当前这一课学到的位置。",
    ),
    "next": ("进入当前课程的下一步。", ""),
    "back": ("回到当前课程的上一步。", ""),
    "progress": ("查看你学过的每一课的进度。", ""),
    "reset": ("重新学习一课：清除这一课的进度、答题和提交记录。", ""),
    "run": (
        "在沙箱中运行 Python 代码；每次运行都是全新开始。",
        "把代码写在命令后面，或者放进 ``` 代码块（可以和命令在同一行，也可以从下一行开始）。"
        "不带代码时，运行你当前所在步骤的示例代码。",
    ),
    "answer": (
        "回答当前的题目：/answer 2、/answer b，或者一个数字。",
        "选项按显示顺序从 1 开始编号，也可以用字母 a、b、c。数值题直接填数字（也可以写分数，例如 1/3）。"
        "答错了可以再答。",
    ),
    "submit": (
        "提交当前练习的答案，交给沙箱检查。",
        "把代码写在命令后面，或者放进 ``` 代码块（可以和命令在同一行，也可以从下一行开始）。",
    ),
    "hint": ("查看当前练习的下一条提示。", ""),
    "solution": ("查看当前练习的参考答案（提交三次未通过后开放）。", ""),
    "lang": ("选择我和你交流的语言：/lang zh 或 /lang en。", ""),
    "forget": ("删除我记录的关于你的所有数据（需要确认）。", ""),
    "link": (
        "把你在 Discord 和 Telegram 上的账号关联成同一个学习者："
        "先发送 /link，再到另一个平台发送 /link 关联码。",
        "不带关联码时，给你一个一次性关联码（10 分钟内有效）。在另一个平台上发送 /link 加这个关联码，"
        "两个账号就会共用同一份学习记录，两边的记录都不会丢失。",
    ),
    "unlink": ("取消这个账号与其他账号的关联；双方各自保留一份学习记录。", ""),
    "admin_reload": ("重新加载课程文件，无需重启；如有问题，继续使用现有课程。", ""),
    "admin_validate": ("检查课程文件，不影响正在使用的课程。", ""),
}

ARG_HELP_ZH: dict[tuple[str, str], str] = {
    ("help", "command"): "命令名称，例如 run",
    ("lesson", "lesson"): "课程 ID，即 /lessons 中显示的那个",
    ("reset", "lesson"): "课程 ID，即 /lessons 中显示的那个",
    ("reset", "confirm"): "输入 confirm 确认重置",
    ("run", "code"): "要运行的 Python 代码",
    ("answer", "answer"): "选项的编号或字母，或者一个数字",
    ("submit", "code"): "你的答案代码",
    ("lang", "language"): "zh（中文）或 en（English）",
    ("forget", "confirm"): "输入 confirm 确认删除",
    ("link", "code"): "你在另一个平台上通过 /link 得到的关联码",
}
