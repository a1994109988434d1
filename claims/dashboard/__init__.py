"""Desk metrics: the dashboard at /dashboard/ (charts, tables and CSVs of the desk's figures).

``queries`` computes the figures in PostgreSQL, ``charts`` draws SVG, ``panels`` pairs each
chart with its table and CSV, ``views`` serves them to editors and reviewers.
"""
