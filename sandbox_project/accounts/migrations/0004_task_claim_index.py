"""An index for db_worker's claim query, on django-tasks-db's table (lesson 15).

The worker asks for the next READY task of one backend and its queues, in priority order
(`django_tasks_db/management/commands/db_worker.py`, `Worker.run`). django-tasks-db's own
partial index (`tasks_db_new_ordering_idx`) starts with `status`, so PostgreSQL uses it only
when its statistics say that READY rows are few: right after a bulk load or a restore, before
(auto)ANALYZE, it picks the single-column `backend_name`/`queue_name` indexes and reads every
finished row for each claim. This index starts with the columns the claim compares, holds
READY rows only, and is ordered as the claim is, so that it is the cheapest plan whatever the
statistics say.

The model belongs to django-tasks-db, so its `Meta.indexes` cannot be edited here: this
migration adds the index with Django's schema editor (`Index(condition=...)`, so the same code
works on SQLite and PostgreSQL), after django-tasks-db's latest migration, and keeps it out of
the migration state, so that `makemigrations` sees no change to a model we do not own. On a
database without partial indexes (MySQL), or one that does not hold the task table (a router
sending it to a database of its own), it adds nothing. On a big production table, create it
with `CREATE INDEX CONCURRENTLY` instead, which does not block enqueues.
"""

from django.db import migrations, router
from django.db.models import Index, Q

CLAIM_INDEX = Index(
    fields=["backend_name", "queue_name", "-priority", "run_after", "enqueued_at"],
    condition=Q(status="READY"),
    name="tasks_claim_ready_idx",
)


def task_table(apps, schema_editor):
    """django-tasks-db's model, if this database holds its table and has partial indexes."""
    model = apps.get_model("django_tasks_database", "DBTaskResult")
    connection = schema_editor.connection
    if connection.features.supports_partial_indexes and router.allow_migrate_model(connection.alias, model):
        return model
    return None


def add_claim_index(apps, schema_editor):
    if model := task_table(apps, schema_editor):
        schema_editor.add_index(model, CLAIM_INDEX)


def remove_claim_index(apps, schema_editor):
    if model := task_table(apps, schema_editor):
        schema_editor.remove_index(model, CLAIM_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_side_effects"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(add_claim_index, remove_claim_index)]
