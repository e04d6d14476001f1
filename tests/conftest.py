import os

from hypothesis import HealthCheck, settings

# CI runs derandomised (hypothesis also auto-selects its "ci" profile when CI is set)
settings.register_profile("dev", deadline=None, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=25, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Tests verify afresh: the verdict cache (derive.cache) is exercised only where a test asks for it.
os.environ.setdefault("EQNN_NO_CACHE", "1")
