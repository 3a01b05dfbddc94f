"""The measurements of bench/api_latency.py, one module per kind of question."""
