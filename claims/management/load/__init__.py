"""load_bench: the production shape started locally, simulated users, and their figures."""
