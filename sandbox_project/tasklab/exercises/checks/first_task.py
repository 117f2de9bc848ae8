"""Exercise 1: a task that counts words, run by a real worker."""

from ..feedback import NotYet, Steps, call
from ..running import require_success, require_task, run_in_worker

FIX_HINT = "fix that line, run the `%%module words` cell again, then check() again."
CASES = {"the quick brown fox": 4, "": 0, "  spaced   out  ": 2}
COUNTING = Steps(
    lesson="the task ran in the worker; what is left is plain Python. Lesson 3 shows `.call()`, which runs "
    'a task here and now: try `count_words.call("  spaced   out  ")` and look at what your code splits.',
    closer="`str.split()` with no argument splits on any run of whitespace and ignores it at both ends; "
    'with an argument such as `" "`, it splits at every single space.',
    answer="`return len(text.split())`.",
)


def check(count_words):
    require_task(count_words, "count_words", "words")
    results = [
        call(
            count_words.enqueue,
            text,
            what=f"count_words.enqueue({text!r})",
            hint="count_words takes one argument, the text.",
        )
        for text in CASES
    ]
    run_in_worker(results)
    for (text, expected), result in zip(CASES.items(), results):
        require_success(result, "count_words", FIX_HINT, call=f"count_words({text!r})")
        if result.return_value != expected:
            raise NotYet(
                f"count_words({text!r}) returned {result.return_value!r}, but that text has {expected} words",
                COUNTING,
            )
    return "count_words ran in a real worker and counted 4, 0 and 2 words, as it should."
