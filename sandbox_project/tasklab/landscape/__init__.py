"""The backend landscape (lesson 25): every django.tasks backend run on the same tasks.

Modules, by job:

- `candidates/`: one `Candidate` per package tried, grouped by family (`database.py`,
  `in_process.py`, `redis.py`, `celery.py`); `candidates.all_candidates()` lists them.
- `tasks.py`: the tasks every backend runs (plain `django.tasks.task`, nothing backend-specific).
- `workers.py`: a backend's worker as a toolkit `ManagedProcess` (stopped with its owner).
- `servers.py`: the PostgreSQL and Redis servers the candidates need, one of each, shared.
- `checks.py`: one function per matrix row; each runs something and returns a `Cell`.
- `runner.py`: runs the checks for one backend in a process configured for it alone.
- `matrix.py`: runs the runner for every kept backend and prints the matrix.

The contract a candidate follows (add fields, never rename them):

1. Only settings change between backends. `taskdemo.settings_landscape` reads
   ``TASKLAB_LANDSCAPE_BACKEND`` (a candidate's `name`), adds its `apps` to INSTALLED_APPS and
   applies `candidate.settings(os.environ)`, a dict that must hold ``TASKS`` (alias
   ``default``, queues ``default`` and ``emails``). The servers reach it through
   ``TASKLAB_DATABASE_URL`` (a PostgreSQL database of its own, always set) and
   ``TASKLAB_REDIS_URL`` (set when its `server` is ``"redis"``).
2. The tasks are those of `tasklab.landscape.tasks`, declared with `django.tasks.task` and
   enqueued with the unchanged API (`enqueue`, `using`, `get_result`, `aenqueue`).
3. A worker is a `ManagedProcess`: give `worker` (the `manage.py` arguments of one worker,
   ``{worker_id}`` replaced by a unique id) and `worker_ready` (text its log shows once it
   polls), or `make_worker(candidate, worker_id, env)` for a program that is not a
   `manage.py` command (Celery). `worker=None` and no `make_worker`: tasks run in the
   enqueuing process (in-process pools).
4. `needs` says, in one sentence for the lesson, what the backend needs beyond settings (its
   own app, migrations, a worker command). `migrate=True` runs `migrate` on its database.
5. A candidate that does not install or run keeps its entry with `dropped` set to the exact
   error seen (and the version tried); nothing else runs for it.
6. Features that need backend-specific set-up (periodic tasks, unique tasks, retries) are
   optional `hooks`, keyed by the check's name; a check without its hook reports what the
   backend's own API offers or lacks, from the run. `pause`/`resume` hooks (given the
   backend) stop and restart the enqueuing process's own share of the work, for a backend
   that runs queued tasks in every process.
"""
