"""Every message of the tutor, keyed, in Chinese and English.

Chinese follows common technical-writing practice: full-width punctuation, a space between Chinese and
Latin words or numbers. Placeholders are ``str.format`` fields; both languages use the same ones.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Getting started
    "start.welcome": {
        "en": "Hi {name}! I'm **Torch Tutor**, a tutor for PyTorch that follows the *PyTorch Handbook*. "
        "Each lesson mixes short explanations, code you can run right here, quick questions and small "
        "exercises.",
        "zh": "你好，{name}！我是 **Torch Tutor**，一个按《PyTorch 中文手册》带你学 PyTorch 的助教。"
        "每一课都有简短的讲解、可以直接在这里运行的代码、小测验和小练习。",
    },
    "start.resume": {
        "en": "You're on step {n} of {total} in **{title}**. Pick up where you left off with /next.",
        "zh": "你正在学习 **{title}**，进度是第 {n}/{total} 步。发送 /next 接着学。",
    },
    "start.begin": {
        "en": "A good place to begin is **{title}**: /lesson {lesson}",
        "zh": "建议从 **{title}** 开始：/lesson {lesson}",
    },
    "start.commands": {
        "en": "/lessons lists every lesson, /progress shows how far you've come, /help lists all commands.",
        "zh": "/lessons 列出全部课程，/progress 查看学习进度，/help 查看所有命令。",
    },
    "about.text": {
        "en": "**Torch Tutor** {version}: learn PyTorch in chat, with a safe sandbox for your code.\n\n"
        "The syllabus follows the *PyTorch Handbook* (《PyTorch 中文手册》) by zergtant et al., "
        "licensed CC BY-NC-SA. The lessons here are our own adaptation of its outline.\n\n"
        "Source code: {source}",
        "zh": "**Torch Tutor** {version}：在聊天中学习 PyTorch，代码在安全的沙箱里运行。\n\n"
        "课程大纲参考 zergtant 等人编写的《PyTorch 中文手册》（PyTorch Handbook），"
        "采用 CC BY-NC-SA 许可。这里的课程是我们依照其大纲改编的。\n\n"
        "源代码：{source}",
    },
    "help.title": {"en": "Commands", "zh": "命令一览"},
    "help.admin": {"en": "Admin commands", "zh": "管理员命令"},
    "help.footer": {
        "en": "Type /help followed by a command for details, e.g. /help run.",
        "zh": "在 /help 后面加上命令名可查看详细说明，例如 /help run。",
    },
    "help.arguments": {"en": "Arguments", "zh": "参数"},
    "help.optional": {"en": "optional", "zh": "可选"},
    "command.unknown": {
        "en": "There's no /{name} command. /help lists them all.",
        "zh": "没有 /{name} 这个命令。发送 /help 查看所有命令。",
    },
    "command.unknown_suggest": {
        "en": "There's no /{name} command. Did you mean {suggestions}?",
        "zh": "没有 /{name} 这个命令。你是不是想用 {suggestions}？",
    },
    "not_a_command": {
        "en": "Commands start with `/`. Try /next to continue your lesson, or /help to see all I can do.",
        "zh": "命令要以 `/` 开头。发送 /next 继续学习，或者发送 /help 看看我能做什么。",
    },
    "usage": {"en": "Usage: `{usage}`", "zh": "用法：`{usage}`"},
    "arg.not_int": {
        "en": "`{name}` should be a whole number. Usage: `{usage}`",
        "zh": "`{name}` 应该是一个整数。用法：`{usage}`",
    },
    "arg.bad_choice": {
        "en": "`{name}` must be one of: {choices}.",
        "zh": "`{name}` 只能是以下之一：{choices}。",
    },
    "admin.only": {
        "en": "Only admins can use this command.",
        "zh": "只有管理员才能使用这个命令。",
    },
    "action.stale": {
        "en": "That button belongs to a lesson version that has changed. /lesson shows where you are now.",
        "zh": "这个按钮对应的课程内容已经更新了。发送 /lesson 查看你现在学到哪里。",
    },
    "error.internal": {
        "en": "Sorry, something went wrong on my side. It has been logged; please try again in a moment.",
        "zh": "抱歉，我这边出了点问题，已经记录下来了。请稍后再试。",
    },
    "error.restarting": {
        "en": "The tutor is restarting. Please try again in a moment.",
        "zh": "助教正在重启，请稍后再试。",
    },
    # Limits
    "rate.commands": {
        "en": "You're going a little fast. Please try again in {seconds} s.",
        "zh": "你发得有点快了，请 {seconds} 秒后再试。",
    },
    "rate.runs": {
        "en": "That's a lot of runs in one minute. Please try again in {seconds} s.",
        "zh": "这一分钟里运行的次数有点多了，请 {seconds} 秒后再试。",
    },
    "run.one_at_a_time": {
        "en": "Your previous code is still running. Wait for its result, then try again.",
        "zh": "你上一段代码还在运行，等结果出来后再试。",
    },
    # Lessons
    "lessons.title": {"en": "Lessons", "zh": "课程列表"},
    "lessons.chapter": {"en": "Chapter {chapter}", "zh": "第 {chapter} 章"},
    "lessons.not_started": {"en": "not started", "zh": "未开始"},
    "lessons.done": {"en": "completed", "zh": "已完成"},
    "lessons.current": {"en": "you are here", "zh": "正在学习"},
    "lessons.needs": {"en": "best after {lessons}", "zh": "建议先学 {lessons}"},
    "lessons.footer": {
        "en": "Open a lesson with /lesson and its id, e.g. /lesson tensor-basics.",
        "zh": "用 /lesson 加课程 ID 打开一课，例如 /lesson tensor-basics。",
    },
    "lessons.empty": {
        "en": "No lessons are available yet. Please ask an admin to add some.",
        "zh": "目前还没有课程，请联系管理员添加。",
    },
    "lesson.which": {
        "en": "Which lesson? /lessons lists them; then open one with /lesson and its id.",
        "zh": "要学哪一课？发送 /lessons 查看课程列表，再用 /lesson 加课程 ID 打开。",
    },
    "lesson.unknown": {
        "en": "There's no lesson `{lesson}`. /lessons lists every lesson.",
        "zh": "没有 `{lesson}` 这一课。发送 /lessons 查看所有课程。",
    },
    "lesson.unknown_suggest": {
        "en": "There's no lesson `{lesson}`. Did you mean {suggestions}?",
        "zh": "没有 `{lesson}` 这一课。你是不是想找 {suggestions}？",
    },
    "lesson.none_active": {
        "en": "You haven't opened a lesson yet. /lessons lists them; open one with /lesson and its id.",
        "zh": "你还没有打开任何课程。发送 /lessons 查看课程列表，再用 /lesson 加课程 ID 开始学习。",
    },
    "lesson.gone": {
        "en": "Your lesson `{lesson}` is no longer available. /lessons shows what you can learn now.",
        "zh": "你之前学的 `{lesson}` 这一课已经下线了。发送 /lessons 看看现在有哪些课程。",
    },
    "lesson.syllabus": {"en": "Handbook § {sections}", "zh": "对应手册 {sections} 节"},
    "lesson.minutes": {"en": "about {minutes} min", "zh": "约 {minutes} 分钟"},
    "lesson.steps": {"en": "{count} steps", "zh": "共 {count} 步"},
    "lesson.unmet": {
        "en": "This lesson builds on {lessons}. You can go ahead anyway, but that one comes first.",
        "zh": "这一课建立在 {lessons} 的基础上。你也可以直接学，不过建议先学完那一课。",
    },
    "lesson.resumed": {"en": "Welcome back to **{title}**.", "zh": "欢迎回到 **{title}**。"},
    "lesson.review": {
        "en": "You've finished this lesson already; here it is again from the top. Your progress is kept.",
        "zh": "这一课你已经学完了，现在从头再看一遍。你的学习记录不会丢失。",
    },
    "lesson.edited_same": {
        "en": "This lesson was updated since your last visit. You're still at the same step.",
        "zh": "自你上次学习以来，这一课有更新。你仍然停在原来那一步。",
    },
    "lesson.edited_moved": {
        "en": "This lesson was updated and the step you were on changed. You're at the same position in it.",
        "zh": "这一课有更新，你上次所在的那一步已经改动了。现在停在原来的位置。",
    },
    "lesson.completed": {
        "en": "You've completed **{title}**. Well done!",
        "zh": "你已经学完了 **{title}**，干得漂亮！",
    },
    "lesson.up_next": {
        "en": "Up next: **{title}** (/lesson {lesson})",
        "zh": "下一课：**{title}**（/lesson {lesson}）",
    },
    "lesson.all_done": {
        "en": "That was the last lesson you hadn't finished. /progress sums up everything you've done.",
        "zh": "所有课程你都学完了。发送 /progress 回顾一下你的学习成果。",
    },
    "step.header": {"en": "**{title}** · step {n}/{total}", "zh": "**{title}** · 第 {n}/{total} 步"},
    "step.first": {"en": "This is already the first step.", "zh": "已经是第一步了。"},
    "button.next": {"en": "Next", "zh": "下一步"},
    "button.finish": {"en": "Finish lesson", "zh": "完成本课"},
    "button.run": {"en": "Run this code", "zh": "运行这段代码"},
    "button.hint": {"en": "Hint", "zh": "提示"},
    "button.continue": {"en": "Continue", "zh": "继续学习"},
    "button.start_lesson": {"en": "Start lesson", "zh": "开始学习"},
    "button.reset": {"en": "Yes, start over", "zh": "确认重新开始"},
    "button.forget": {"en": "Yes, delete my data", "zh": "确认删除我的数据"},
    # Questions
    "quiz.instruction": {
        "en": "Answer with /answer and the option's number (1–{last}) or letter (a–{last_letter}).",
        "zh": "用 /answer 加选项编号（1–{last}）或字母（a–{last_letter}）来回答。",
    },
    "numeric.instruction": {
        "en": "Answer with /answer and a number, e.g. /answer 3.5",
        "zh": "用 /answer 加一个数字来回答，例如 /answer 3.5",
    },
    "answer.no_question": {
        "en": "There's no question open right now. /next continues your lesson.",
        "zh": "现在没有待回答的题目。发送 /next 继续学习。",
    },
    "answer.bad_choice": {
        "en": "Please answer with an option's number (1–{last}) or letter (a–{last_letter}).",
        "zh": "请用选项编号（1–{last}）或字母（a–{last_letter}）作答。",
    },
    "answer.not_a_number": {
        "en": "This question takes a number, e.g. /answer 27 or /answer 0.5",
        "zh": "这道题需要填一个数字，例如 /answer 27 或 /answer 0.5",
    },
    "answer.right": {"en": "Correct!", "zh": "答对了！"},
    "answer.wrong_option": {"en": "Not quite: option {n} isn't it.", "zh": "不对哦，不是选项 {n}。"},
    "answer.wrong_number": {"en": "Not quite: {value} isn't it.", "zh": "不对哦，答案不是 {value}。"},
    "answer.try_again": {
        "en": "Have another go with /answer, or move on with /next.",
        "zh": "可以用 /answer 再答一次，也可以发送 /next 继续。",
    },
    # Running code
    "run.no_code": {
        "en": "Put the code after the command, e.g. `/run print(1 + 1)`, or in a ``` block.",
        "zh": "把代码写在命令后面，例如 `/run print(1 + 1)`，或者放进 ``` 代码块里。",
    },
    "run.disabled": {
        "en": "Running code is turned off on this server.",
        "zh": "这个服务器关闭了代码运行功能。",
    },
    "run.sandbox_busy": {
        "en": "The code runner is busy right now. Please try again in {seconds} s.",
        "zh": "代码运行器现在有点忙，请 {seconds} 秒后再试。",
    },
    "run.internal": {
        "en": "Sorry, the code runner ran into a problem of its own (not your code). Please try again.",
        "zh": "抱歉，代码运行器自身出了问题（不是你代码的错），请再试一次。",
    },
    "run.missing_import": {
        "en": "`{name}` is not imported: start your code with `{statement}` (each run starts fresh).",
        "zh": "`{name}` 还没有导入：请在代码开头加上 `{statement}`（每次运行都是全新开始）。",
    },
    "run.fresh_start": {
        "en": "Each run starts fresh: variables from earlier runs are gone. Define `{name}` here too.",
        "zh": "每次运行都是全新开始，之前运行中定义的变量不会保留。请在这段代码里重新定义 `{name}`。",
    },
    "run.status.ok": {"en": "Ran in {ms} ms.", "zh": "运行完成，用时 {ms} 毫秒。"},
    "run.status.error": {"en": "Your code raised {type}.", "zh": "代码运行时抛出了 {type}。"},
    "run.status.error_line": {
        "en": "Your code raised {type} on line {line}.",
        "zh": "代码第 {line} 行抛出了 {type}。",
    },
    "run.status.syntax": {
        "en": "Python couldn't read this code: there's a syntax error.",
        "zh": "代码有语法错误，Python 无法解析。",
    },
    "run.status.denied": {
        "en": "The sandbox doesn't allow this, to keep everyone safe.",
        "zh": "出于安全考虑，沙箱不允许这样做。",
    },
    "run.status.timeout": {
        "en": "Your code took too long and was stopped.",
        "zh": "代码运行时间太长，已被终止。",
    },
    "run.status.memory": {
        "en": "Your code used too much memory and was stopped.",
        "zh": "代码占用的内存太多，已被终止。",
    },
    "run.status.output_limit": {
        "en": "Your code printed too much; the output was cut off.",
        "zh": "代码输出的内容太多，已被截断。",
    },
    "run.status.internal": {
        "en": "The code runner ran into a problem of its own.",
        "zh": "代码运行器自身出了问题。",
    },
    # Exercises
    "exercise.instruction": {
        "en": "Write your solution and send it with /submit followed by your code (a ``` block works too).",
        "zh": "写好答案后，用 /submit 加上你的代码提交（也可以用 ``` 代码块）。",
    },
    "exercise.hints": {
        "en": "Stuck? /hint gives a hint ({count} in all).",
        "zh": "卡住了？发送 /hint 查看提示（共 {count} 条）。",
    },
    "exercise.none": {
        "en": "There's no exercise open right now. /next continues your lesson; /run tries out any code.",
        "zh": "现在没有进行中的练习。发送 /next 继续学习，或者用 /run 随便试试代码。",
    },
    "submit.passed": {
        "en": "Passed! Your solution does what the exercise asks.",
        "zh": "通过了！你的代码完成了练习的要求。",
    },
    "submit.check_failed": {"en": "Not yet: {message}", "zh": "还没通过：{message}"},
    "submit.no_message": {
        "en": "the result isn't what the exercise expects.",
        "zh": "结果和练习的要求不一致。",
    },
    "submit.did_not_run": {
        "en": "Not yet: your code has to run to the end before it can be checked.",
        "zh": "还没通过：代码要能完整运行，才能进行检查。",
    },
    "submit.not_checked": {
        "en": "Not yet: the check couldn't run on your code.",
        "zh": "还没通过：检查程序没能在你的代码上运行。",
    },
    "submit.tries": {
        "en": "Failed tries so far: {failures}. The model solution opens after {left} more.",
        "zh": "目前未通过 {failures} 次，再尝试 {left} 次后可以查看参考答案。",
    },
    "submit.solution_open": {
        "en": "If you'd like to compare, /solution shows a model solution.",
        "zh": "如果想对照一下，可以发送 /solution 查看参考答案。",
    },
    "hint.none": {
        "en": "This exercise has no hints. /solution opens after three failed tries.",
        "zh": "这道练习没有提示。提交三次未通过后，可以用 /solution 查看参考答案。",
    },
    "hint.text": {"en": "Hint {n}/{total}: {hint}", "zh": "提示 {n}/{total}：{hint}"},
    "hint.last": {"en": "That's the last hint.", "zh": "这是最后一条提示了。"},
    "solution.locked": {
        "en": "Give it a few more tries first: the solution opens after {left} more failed submission(s). "
        "/hint can help.",
        "zh": "先再试试吧：再提交 {left} 次未通过后就可以查看参考答案。/hint 也许能帮上忙。",
    },
    "solution.intro": {
        "en": "Here is one way to solve it. Yours may differ and still be right.",
        "zh": "这是一种参考解法。你的写法不一样也完全可能是对的。",
    },
    # Progress and account
    "progress.title": {"en": "Your progress", "zh": "你的学习进度"},
    "progress.none": {
        "en": "You haven't started a lesson yet. /lessons lists them.",
        "zh": "你还没有开始学习任何课程。发送 /lessons 查看课程列表。",
    },
    "progress.gone": {"en": "no longer available", "zh": "已下线"},
    "progress.questions": {
        "en": "questions: {right}/{total} right ({answers} answers given)",
        "zh": "题目：答对 {right}/{total}（共作答 {answers} 次）",
    },
    "progress.exercises": {
        "en": "exercises: {passed}/{total} passed ({submissions} submissions)",
        "zh": "练习：通过 {passed}/{total}（共提交 {submissions} 次）",
    },
    "reset.confirm": {
        "en": "This clears your progress, answers and submissions in **{title}**. "
        "To go ahead, press the button or type /reset {lesson} confirm",
        "zh": "这会清除你在 **{title}** 中的进度、答题和提交记录。"
        "确定的话，请点击按钮或发送 /reset {lesson} confirm",
    },
    "reset.done": {
        "en": "**{title}** is reset. You can start it again whenever you like.",
        "zh": "**{title}** 已重置，随时可以重新开始。",
    },
    "lang.current": {
        "en": "I'm speaking {current} with you. Choose another with /lang and one of: {choices}.",
        "zh": "现在使用的语言是{current}。可以用 /lang 切换，可选：{choices}。",
    },
    "lang.set": {"en": "Got it, I'll speak English with you.", "zh": "好的，接下来我会用中文和你交流。"},
    "forget.confirm": {
        "en": "This deletes everything I know about you: progress, answers, submissions and settings. "
        "It can't be undone. To go ahead, press the button or type /forget confirm",
        "zh": "这会删除我记录的关于你的所有数据：学习进度、答题、提交记录和设置，而且无法恢复。"
        "确定的话，请点击按钮或发送 /forget confirm",
    },
    "forget.done": {
        "en": "Done: everything I knew about you is deleted. /start begins afresh.",
        "zh": "已删除你的所有数据。发送 /start 可以重新开始。",
    },
    # Linking accounts across platforms (/link, /unlink)
    "link.code": {
        "en": "Your link code is **{code}**. Within {minutes} minutes, type `/link {code}` to me on your "
        "other platform (Discord or Telegram): both accounts then share one progress record.",
        "zh": "你的关联码是 **{code}**。请在 {minutes} 分钟内，在另一个平台（Discord 或 Telegram）上"
        "给我发送 `/link {code}`，两个账号就会共用同一份学习记录。",
    },
    "link.unknown": {
        "en": "I don't know that code. Check it, or get a new one with /link on your other platform.",
        "zh": "这个关联码不存在。请检查一下，或者在另一个平台上发送 /link 获取新的关联码。",
    },
    "link.used": {
        "en": "That code has been used already. Get a new one with /link on your other platform.",
        "zh": "这个关联码已经用过了。请在另一个平台上发送 /link 获取新的关联码。",
    },
    "link.expired": {
        "en": "That code has expired. Get a new one with /link on your other platform.",
        "zh": "这个关联码已过期。请在另一个平台上发送 /link 获取新的关联码。",
    },
    "link.same_platform": {
        "en": "That code was made on {platform}: type it on your other platform to join the two accounts.",
        "zh": "这个关联码是在 {platform} 上生成的，请在另一个平台上输入它来关联两个账号。",
    },
    "link.already": {
        "en": "These accounts are already linked: they share one progress record.",
        "zh": "这两个账号已经关联，共用同一份学习记录。",
    },
    "link.done": {
        "en": "Linked! Your accounts now share one progress record; nothing from either was lost.",
        "zh": "关联成功！你的账号现在共用同一份学习记录，两边的记录都完整保留。",
    },
    "unlink.alone": {
        "en": "This account isn't linked to another one. /link joins accounts across platforms.",
        "zh": "这个账号没有关联其他账号。可以用 /link 关联不同平台上的账号。",
    },
    "unlink.done": {
        "en": "Unlinked. This account now has its own progress record, a copy of the shared one.",
        "zh": "已取消关联。这个账号现在有自己独立的学习记录，内容复制自原来共用的记录。",
    },
    # Admin
    "admin.reloaded": {
        "en": "Lessons reloaded: {lessons} in use.",
        "zh": "课程已重新加载，当前共 {lessons} 课。",
    },
    "admin.reload_problems": {
        "en": "Found {count} problem(s); the {lessons} lessons in use are unchanged.",
        "zh": "发现 {count} 个问题，正在使用的 {lessons} 课保持不变。",
    },
    "admin.valid": {"en": "Every lesson file is valid.", "zh": "所有课程文件都没有问题。"},
    "admin.invalid": {
        "en": "Found {count} problem(s) in the lesson files ({lessons} lessons in use, unchanged).",
        "zh": "课程文件中发现 {count} 个问题（正在使用的 {lessons} 课不受影响）。",
    },
}
