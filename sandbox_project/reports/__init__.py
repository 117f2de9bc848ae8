"""The daily report of exercise 9: its pretend outbox, and the table a task claims its runs in."""
