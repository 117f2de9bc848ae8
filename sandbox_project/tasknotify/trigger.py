"""The trigger that announces new tasks: after every INSERT into the task table, a NOTIFY.

One notification per statement, not per row: an INSERT of many rows (`bulk_create`) sends one. The
payload is empty, as workers only need to know that it is worth polling now. PostgreSQL
delivers a notification when the inserting transaction commits, never before, so a worker
woken by it can see the row it announces.
"""

CHANNEL = "django_tasks_db_new_task"
TRIGGER = "tasknotify_new_task"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$
"""

CREATE_TRIGGER = """
CREATE TRIGGER {trigger} AFTER INSERT ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION {trigger}()
"""


def task_table():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult._meta.db_table


def statements(table):
    """The SQL that installs the trigger on `table` (a quoted table name)."""
    return [CREATE_FUNCTION, CREATE_TRIGGER.format(trigger=TRIGGER, table=table)]


def install(connection, table):
    with connection.cursor() as cursor:
        for statement in statements(connection.ops.quote_name(table)):
            cursor.execute(statement)


def remove(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {connection.ops.quote_name(table)}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")


def set_enabled(connection, enabled):
    """Switch the trigger on or off (e.g. to measure a queue without it, or to lose a NOTIFY)."""
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {connection.ops.quote_name(task_table())} {action} TRIGGER {TRIGGER}")
