"""Install the NOTIFY trigger on the task table, on PostgreSQL; on SQLite there is nothing to do."""

from django.db import migrations, router

from tasknotify import trigger


def _task_table(apps, schema_editor):
    """The task table, when this database is PostgreSQL and holds it; None otherwise."""
    model = apps.get_model("django_tasks_database", "DBTaskResult")
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not router.allow_migrate_model(connection.alias, model):
        return None
    return model._meta.db_table


def install(apps, schema_editor):
    if table := _task_table(apps, schema_editor):
        trigger.install(schema_editor.connection, table)


def remove(apps, schema_editor):
    if table := _task_table(apps, schema_editor):
        trigger.remove(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(install, remove)]
