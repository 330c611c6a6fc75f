"""Every step of the benchmark world, in order: ours (``bench.world``), then each later app's own module.

A new app's rows (e.g. documents) go in a module of their own that registers its step with ``@bench.world.step``
and is imported here, after the steps it builds on.
"""

import bench.documents
import bench.world  # noqa: F401
