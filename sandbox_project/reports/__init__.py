"""Reports that tasks rebuild: the sandbox's examples of unique tasks and of time limits (lesson 22)."""
