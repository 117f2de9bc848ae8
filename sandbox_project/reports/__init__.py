"""Reports that tasks rebuild or send: unique tasks and time limits (lesson 22), and a daily
report that claims each run (exercise 9)."""
