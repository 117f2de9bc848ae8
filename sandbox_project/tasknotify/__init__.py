"""Wake `db_worker` with PostgreSQL's LISTEN/NOTIFY instead of letting it sleep out its interval.

A trigger on django-tasks-db's task table notifies a channel after each INSERT
(`tasknotify.trigger`, installed by this app's migration on PostgreSQL only), and
`manage.py db_worker_listen` is django-tasks-db's own `db_worker` whose idle sleep waits on
that channel (`tasknotify.wait`), with `--interval` as the longest wait.
"""
