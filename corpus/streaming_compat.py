"""Import mosaicml-streaming where torchvision's compiled ops are missing.

``streaming`` imports ``torchvision`` (for its vision datasets). The PyPI torchvision wheel is
built against CUDA torch; beside the CPU torch build its ``_C`` extension does not load, and
``torchvision._meta_registrations`` then fails with ``operator torchvision::nms does not exist``
while registering fake kernels for ops that were never loaded. Only in that case we import
torchvision without those registrations (there is nothing for them to describe) and retry.
Every module that needs ``streaming`` imports it through `import_streaming`.
"""

from __future__ import annotations

import sys
import threading
import types
from types import ModuleType

_META = "torchvision._meta_registrations"
_LOCK = threading.Lock()  # Beam runs DoFns in threads: two first imports must not interleave


def import_streaming() -> ModuleType:
    with _LOCK:
        module = sys.modules.get("streaming")
        if module is not None and hasattr(module, "MDSWriter"):
            return module
        return _import()


def _import() -> ModuleType:
    try:
        import streaming
    except RuntimeError as err:
        if "torchvision::" not in str(err):
            raise
        for name in [
            m for m in sys.modules if m == "torchvision" or m.startswith(("torchvision.", "streaming"))
        ]:
            del sys.modules[name]
        sys.modules[_META] = types.ModuleType(_META)
        import streaming
    return streaming
