"""Training, evaluation and benchmarks of the corroboration models: never imported at run
time by the web app or the workers' matching path."""
