"""Tasks that coordinate through the database (lesson 23): a rate limit that all workers
share, a chain of tasks, and a batch whose final step runs once every part has finished."""
