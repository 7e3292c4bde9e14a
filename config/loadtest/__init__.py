"""Load and fault test: `make loadtest` (README, "Load and fault test").

Everything runs on loopback and stops by itself: a throwaway PostgreSQL cluster on a free
port (cluster.py), the demo loaded into it, gunicorn with production settings, and locust
driving a mix of reading, polling, annotating, replying and searching (locustfile.py).
Phase 1 is plain load; phase 2 is the same load with the database stopped and started in the
middle. driver.py runs both, with the servers servers.py starts and the plan plan.py writes
(and the writes it checks afterwards); report.py judges them.
"""
