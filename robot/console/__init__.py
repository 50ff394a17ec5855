"""The web console of `corobot serve`: pages in Chinese for ops staff (上传, 运行中, 历史, 待回执, 模板,
待补录清单, 设置), the captcha banner, console accounts, sessions, CSRF and safe downloads.

Owns: `server`, `app` (puts the routers together), `state` (what they share), the routers `routes_auth`,
`routes_pages`, `routes_live`, `routes_uploads`, `routes_downloads`; `auth`, `hosts`, `users`, `uploads`,
`downloads`, `views`, `templates/`, `static/`.
May import: `robot.ops`, `robot.engine`, `robot.books`, `robot.core`. Only `robot.commands` imports it.
The engine owns the queue (`robot.ops.service`): the console only asks it.
"""
