"""System tests: hypothesis keeps no example database in the working tree."""

from hypothesis import settings

settings.register_profile("civility", database=None)
settings.load_profile("civility")
