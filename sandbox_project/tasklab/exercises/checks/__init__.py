"""One checker per exercise: `check(<the learner's code>)` returns a sentence or raises NotYet."""
