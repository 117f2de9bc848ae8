"""Task metrics kept in the database by signal receivers, and served to Prometheus (lesson 21).

Installed only by ``taskdemo.settings_monitoring``: its receivers add a few writes to every
task, which the other lessons' measurements should not carry.
"""
